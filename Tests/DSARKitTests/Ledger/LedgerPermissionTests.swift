import DSARKit
import Foundation
import Testing

@Suite("Ledger files at rest")
struct LedgerPermissionTests {
    static func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int ?? -1) & 0o777
    }

    @Test("Keys, the database, its WAL and shared memory, and the audit anchor are owner-only, in a folder made owner-only")
    func ownerOnly() async throws {
        let folder = try ExampleData.temporaryFolder().appendingPathComponent(".dsar")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        let ledger = try Ledger(url: folder.appendingPathComponent("ledger.sqlite"))
        try ledger.generateSigningKey()
        _ = try ledger.maskingKey()
        let book = try await RequestBook(ledger: ledger)
        _ = try await book.open(.access, subject: try DataSubject(parsing: ["customer_id:1"], catalog: HouseholdFixture.catalog))
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        for name in ["ledger.sqlite", "ledger.sqlite-wal", "ledger.sqlite-shm", "masking.key", "signing.key", "requests.key", "audit.head"] {
            #expect(names.contains(name), "\(name) in \(names)")
        }
        for name in names where name != "signing.pub" {
            #expect(try Self.mode(folder.appendingPathComponent(name).path) == 0o600, "\(name)")
        }
        #expect(try Self.mode(folder.path) == 0o700)
    }

    @Test("A private file is written owner-only, also over an existing readable file")
    func privateFile() throws {
        let folder = try ExampleData.temporaryFolder()
        let url = folder.appendingPathComponent("plan.json")
        try PrivateFile.write(Data("{}".utf8), to: url)
        #expect(try Self.mode(url.path) == 0o600)
        try Data("old".utf8).write(to: url)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: url.path)
        try PrivateFile.write(Data("{\"steps\":[]}".utf8), to: url)
        #expect(try Self.mode(url.path) == 0o600)
        #expect(try String(contentsOf: url, encoding: .utf8) == "{\"steps\":[]}")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["plan.json"], "no temporary file left")
    }
}
