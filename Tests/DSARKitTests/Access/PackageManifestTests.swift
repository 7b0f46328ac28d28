@testable import DSARKit
import Foundation
import Testing

@Suite("manifest.json")
struct PackageManifestTests {
    static let manifest = PackageManifest(
        type: PackageManifest.typeName, manifestVersion: 1, requestID: "REQ-1", kind: "access", generatedAt: "2026-05-28T20:26:40Z",
        tool: .init(name: "DSARKit", version: "1", libarchive: "3.6.2"), language: "fr", subject: ["email:a@example.tn"],
        encrypted: true, collections: [.init(collection: "calls", records: 2, files: 1)],
        records: [
            .init(collection: "calls", key: ["id": .integer(1)], role: "owned",
                  provenance: [.init(kind: "match", identifier: "email:a@example.tn", collection: "calls", key: ["id": .integer(1)],
                                     column: "email")],
                  files: ["files/recordings/calls/1.wav"]),
            .init(collection: "calls", key: ["id": .integer(2)], role: "referenced", provenance: [], files: []),
            .init(collection: "voicemails", key: ["path": .text("vm/\"0021698\"\u{1}é\\x.wav"), "score": .real(2.5), "n": .null], role: "owned",
                  provenance: [.init(kind: "seed", identifier: "phone:+21698123456", collection: nil, key: nil, column: nil)],
                  files: ["files/recordings/vm/\"0021698\"\u{1}é\\x.wav"]),
        ],
        problems: [.init(collection: "voicemails", key: ["path": .text("x.wav")], message: "missing")],
        files: [.init(path: "index.html", size: 10, sha256: String(repeating: "a", count: 64)),
                .init(path: "files/recordings/calls/1.wav", size: 3, sha256: String(repeating: "b", count: 64))])

    @Test("The manifest written piece by piece reads back whole, with every property a single encoder would write")
    func streamedManifest() throws {
        let data = try Self.manifest.encoded()
        #expect(try JSONDecoder().decode(PackageManifest.self, from: data) == Self.manifest)
        let streamed = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let whole = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(Self.manifest)) as? [String: Any])
        #expect(streamed.keys.sorted() == whole.keys.sorted())
        func canonical(_ object: [String: Any]) throws -> String {
            String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
        }
        #expect(try canonical(streamed) == canonical(whole))
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.components(separatedBy: "\n").filter { $0.hasPrefix("    {\"collection\":") }.count == 3,
                "one record per line:\n\(text)")
        #expect(try Self.manifest.encoded() == data, "the same manifest gives the same bytes")
    }

    @Test("A scoped package's manifest carries its scope, written piece by piece as a single encoder would")
    func scopedManifest() throws {
        var manifest = Self.manifest
        manifest.scope = RequestScope(collections: ["recordings"], records: [ScopedRecord(collection: "calls", key: "12")],
                                      between: try DayRange(parsing: "2026-03-15..2026-03-15"))
        let data = try manifest.encoded()
        #expect(try JSONDecoder().decode(PackageManifest.self, from: data) == manifest)
        let streamed = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let whole = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(manifest)) as? [String: Any])
        #expect(streamed.keys.sorted() == whole.keys.sorted())
        #expect(streamed["scope"] != nil)
        #expect(try JSONSerialization.jsonObject(with: Self.manifest.encoded()) as? [String: Any] != nil)
        #expect(!String(decoding: try Self.manifest.encoded(), as: UTF8.self).contains("\"scope\""), "an unscoped package names no scope")
    }

    @Test("Empty record and file lists are valid JSON")
    func empty() throws {
        var manifest = Self.manifest
        manifest.records = []
        manifest.files = []
        #expect(try JSONDecoder().decode(PackageManifest.self, from: manifest.encoded()) == manifest)
    }
}
