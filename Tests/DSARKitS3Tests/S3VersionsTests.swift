import DSARKit
import DSARKitS3
import Foundation
import Logging
import Testing

/// Versioned buckets and Object Lock, on moto (rclone implements neither).
@Suite("S3 versions and Object Lock")
struct S3VersionsTests {
    static let subjectKey = "voicemail/0612345678_20260101T090000.wav"
    static let otherKey = "voicemail/0698765432_20260101T090000.wav"

    @Test("Removing an object deletes every version and delete marker of it, and no version of another object")
    func everyVersion() async throws {
        guard let server = S3TestServer.moto else { return }
        let bucket = S3TestServer.bucketName()
        try await server.createBucket(bucket)
        try await server.enableVersioning(bucket)
        let key = "calls/2026/call-1.wav"
        try await server.put(bucket, key, Data("first take".utf8))
        try await server.put(bucket, key, Data("second take".utf8))
        try await server.put(bucket, key + ".bak", Data("another object, same prefix".utf8))
        try await server.put(bucket, "calls/2026/call-2.wav", Data("someone else".utf8))
        let gone = "calls/2026/call-3.wav"
        try await server.put(bucket, gone, Data("deleted without erasure".utf8))
        #expect(try await server.send(.DELETE, bucket: bucket, key: gone).0 == 204)
        let before = try await server.versions(bucket)

        let store = try server.store(bucket: bucket)
        #expect(try await store.removeObject(at: "calls/2026/call-1.wav") == S3Removal(versions: 2, deleteMarkers: 0))
        // An object already "deleted" (a delete marker on top) still holds its older version: it goes too.
        #expect(try await store.file(at: "calls/2026/call-3.wav") == nil)
        #expect(try await store.removeObject(at: "calls/2026/call-3.wav") == S3Removal(versions: 1, deleteMarkers: 1))
        #expect(try await store.removeFile(at: "calls/2026/call-1.wav") == false)

        let after = try await server.versions(bucket)
        #expect(!after.contains { $0.key == key || $0.key == gone }, "a version of an erased object is still in the bucket")
        let untouched = before.filter { $0.key != key && $0.key != gone }
        #expect(Set(after.map(\.version)) == Set(untouched.map(\.version)), "another object's versions changed")
    }

    @Test("An object under retention or legal hold is reported locked, with its reason and date; a free one is not")
    func locks() async throws {
        guard let server = S3TestServer.moto else { return }
        let bucket = S3TestServer.bucketName()
        try await server.createBucket(bucket, objectLock: true)
        try await server.put(bucket, "retained.wav", Data("kept for a dispute".utf8), headers: [
            ("x-amz-object-lock-mode", "GOVERNANCE"), ("x-amz-object-lock-retain-until-date", "2099-03-01T00:00:00Z"),
        ])
        try await server.put(bucket, "held.wav", Data("kept for a court".utf8), headers: [("x-amz-object-lock-legal-hold", "ON")])
        try await server.put(bucket, "free.wav", Data("no lock".utf8))
        let store = try server.store(bucket: bucket)
        let retained = try #require(try await store.lock(on: "retained.wav"))
        #expect(retained.reason.contains("retention"))
        #expect(retained.until == "2099-03-01")
        let held = try #require(try await store.lock(on: "held.wav"))
        #expect(held.reason.contains("legal hold"))
        #expect(try await store.lock(on: "free.wav") == nil)
    }

    @Test("Erasure keeps a locked voicemail as held (reason and date in the plan), erases the free one entirely, and completes")
    func erasureHoldsLockedObjects() async throws {
        guard let server = S3TestServer.moto else { return }
        let bucket = S3TestServer.bucketName()
        try await server.createBucket(bucket, objectLock: true)
        let locked = "voicemail/0612345678_20260301T080000.wav"
        try await server.put(bucket, Self.subjectKey, Data("free, first version".utf8))
        try await server.put(bucket, Self.subjectKey, Data("free, second version".utf8))
        try await server.put(bucket, locked, Data("under retention".utf8), headers: [
            ("x-amz-object-lock-mode", "GOVERNANCE"), ("x-amz-object-lock-retain-until-date", "2099-03-01T00:00:00Z"),
        ])
        try await server.put(bucket, Self.otherKey, Data("another person".utf8))

        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dsar-s3-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let catalog = Self.catalog(server.declaration(name: "recordings", bucket: bucket))
        let store = try server.store(name: "recordings", bucket: bucket)
        let ledger = try Ledger(url: folder.appendingPathComponent("ledger.sqlite"))
        _ = try ledger.generateSigningKey()
        let erasure = Erasure(catalog: catalog, stores: StoreSet([store]), ledger: ledger)
        let subject = try DataSubject(parsing: ["phone:0612345678"], catalog: catalog)

        let outcome = try await erasure.execute(subject)
        let voicemails = try #require(outcome.plan.collection("voicemails"))
        #expect(voicemails.held.count == 1)
        #expect(voicemails.held.first?.reason.contains("Object Lock") == true)
        #expect(voicemails.held.first?.until == "2099-03-01")
        #expect(voicemails.files.count == 1)
        #expect(voicemails.files.first?.versions == 2)
        #expect(outcome.certificate.fileVersionsDeleted == 2, "the certificate says how many versions went")
        #expect(outcome.isComplete, "\(outcome.residue)")
        #expect(outcome.certificate.holds.count == 1)

        let left = try await server.versions(bucket)
        #expect(!left.contains { $0.key == Self.subjectKey }, "a version of the erased voicemail is still in the bucket")
        #expect(left.contains { $0.key == locked }, "the locked voicemail was deleted")
        #expect(left.contains { $0.key == Self.otherKey }, "another person's voicemail was touched")
    }

    @Test("The access package's page says which recordings are under an Object Lock, and until when; a free one carries no such mark")
    func accessPageStatesLocks() async throws {
        guard let server = S3TestServer.moto else { return }
        let bucket = S3TestServer.bucketName()
        try await server.createBucket(bucket, objectLock: true)
        let retained = "voicemail/0612345678_20260301T080000.wav", held = "voicemail/0612345678_20260401T080000.wav"
        try await server.put(bucket, Self.subjectKey, Data("free".utf8))
        try await server.put(bucket, retained, Data("under retention".utf8), headers: [
            ("x-amz-object-lock-mode", "COMPLIANCE"), ("x-amz-object-lock-retain-until-date", "2099-03-01T00:00:00Z"),
        ])
        try await server.put(bucket, held, Data("under a legal hold".utf8), headers: [("x-amz-object-lock-legal-hold", "ON")])

        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dsar-s3-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let catalog = Self.catalog(server.declaration(name: "recordings", bucket: bucket))
        let stores = StoreSet([try server.store(name: "recordings", bucket: bucket)])
        let result = try await Discovery(catalog: catalog, stores: stores)
            .discover(try DataSubject(parsing: ["phone:0612345678"], catalog: catalog))
        #expect(result.files.count == 3)
        let package = folder.appendingPathComponent("package.tar.gz")
        let options = AccessPackageOptions(format: .tarGzip, encryption: .none, requestID: "REQ-LOCK")
        _ = try await AccessPackageWriter(catalog: catalog, stores: stores).write(result: result, to: package, options: options)
        let tar = Process()
        tar.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        tar.arguments = ["bsdtar", "-x", "-f", package.path, "-C", folder.path, "index.html"]
        try tar.run()
        tar.waitUntilExit()
        #expect(tar.terminationStatus == 0)
        let page = try String(contentsOf: folder.appendingPathComponent("index.html"), encoding: .utf8)
        // Each file's line of the page, from its link to the line break after it.
        func line(of key: String) throws -> Substring {
            let name = (key as NSString).lastPathComponent
            let start = try #require(page.range(of: ">\(name)</a>"), "the page lists every file")
            let end = try #require(page.range(of: "<br>", range: start.upperBound..<page.endIndex))
            return page[start.lowerBound..<end.lowerBound]
        }
        #expect(try line(of: retained).contains("kept under a retention lock until 1 March 2099"))
        #expect(try line(of: held).contains("kept under a legal hold in our storage"))
        #expect(try !line(of: Self.subjectKey).contains("badge"), "a free recording is marked locked")
    }

    static func catalog(_ store: StoreDeclaration) -> Catalog {
        let voicemails = DataCollection(name: "voicemails", store: store.name, pattern: try! FilePattern("voicemail/{phone}_{received}.wav"),
                                        identifiers: [IdentifierColumn(column: "phone", type: "phone")], purpose: "Voicemail",
                                        lawfulBasis: .fixed(.contract))
        return Catalog(controller: Controller(name: "Example", contact: "dpo@example.com"),
                       identifiers: [IdentifierType(name: "phone", kind: .phone, regions: ["FR"])],
                       stores: [store], collections: [voicemails])
    }
}
