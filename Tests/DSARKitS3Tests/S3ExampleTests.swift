import CallCenterExample
import Crypto
import DSARKit
import DSARKitS3
import DSARKitTesting
import Foundation
import Testing

/// The call-centre example with its recordings and voicemails in a bucket instead of a folder.
@Suite("Call-centre example, recordings in a bucket")
struct S3ExampleTests {
    /// Generates the example, uploads its recordings to a new bucket of `server` (versioned on
    /// moto), and returns the data set with its bucket catalog written.
    static func makeExample(_ server: S3TestServer, bucket: String = S3TestServer.bucketName(),
                            customers: Int = 12) async throws -> (CallCenterDataSet, bucket: String) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dsar-s3-example-\(bucket)")
        let dataSet = try CallCenterDataSet.generate(into: folder, customers: customers)
        try await server.createBucket(bucket)
        if server.kind == "moto" { try await server.enableVersioning(bucket) }
        let objects = try dataSet.makeS3Variant(endpoint: server.endpoint.absoluteString, bucket: bucket, pathStyle: server.pathStyle, caFile: server.caFile,
                                                accessKeyEnv: "DSAR_TEST_S3_ACCESS_KEY", secretKeyEnv: "DSAR_TEST_S3_SECRET_KEY")
        #expect(objects.count == dataSet.recordingCount + dataSet.voicemailCount)
        for (key, url) in objects { try await server.put(bucket, key, try Data(contentsOf: url)) }
        return (dataSet, bucket)
    }

    static func stores(_ catalog: Catalog, readOnly: Bool = true) throws -> StoreSet {
        try StoreSet.open(for: catalog, openers: ["s3": S3Store.opener], readOnly: readOnly)
    }

    @Test("Discovery from the bucket equals the generator's ground truth for every person (rclone)")
    func discovery() async throws {
        guard let server = S3TestServer.rclone else { return }
        let (dataSet, _) = try await Self.makeExample(server)
        let catalog = try Catalog.load(from: dataSet.s3CatalogURL)
        #expect(catalog.store(named: "recordings")?.type == "s3")
        let discovery = Discovery(catalog: catalog, stores: try Self.stores(catalog))
        for person in dataSet.people {
            let result = try await discovery.discover(try DataSubject(parsing: ["email:\(person.email)"], catalog: catalog))
            let expected = dataSet.expectation(for: person)
            #expect(Set(result.records.map(\.item)) == expected.records, "customer \(person.customerID)")
            #expect(Set(result.files.map { "\($0.store)/\($0.path)" }) == expected.files, "customer \(person.customerID)")
            #expect(result.problems.isEmpty, "customer \(person.customerID)")
        }
        let problems = await CatalogCheck(catalog: catalog).run(openers: ["s3": S3Store.opener]).filter { $0.severity == .error }
        #expect(problems.isEmpty, "\(problems)")
    }

    @Test("The access package holds the subject's recordings byte for byte as uploaded (rclone)")
    func access() async throws {
        guard let server = S3TestServer.rclone else { return }
        let (dataSet, _) = try await Self.makeExample(server)
        let catalog = try Catalog.load(from: dataSet.s3CatalogURL)
        let stores = try Self.stores(catalog)
        let person = try #require(dataSet.person(email: "amel.benali@example.tn"))
        let result = try await Discovery(catalog: catalog, stores: stores)
            .discover(try DataSubject(parsing: ["email:\(person.email)"], catalog: catalog))
        #expect(!result.files.isEmpty)
        let package = dataSet.directory.appendingPathComponent("amel.tar.gz")
        let options = AccessPackageOptions(format: .tarGzip, encryption: .none, requestID: "REQ-S3")
        let summary = try await AccessPackageWriter(catalog: catalog, stores: stores).write(result: result, to: package, options: options)
        #expect(summary.files == result.files.count)

        let folder = dataSet.directory.appendingPathComponent("amel-extracted")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let tar = Process()
        tar.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        tar.arguments = ["bsdtar", "-x", "-f", package.path, "-C", folder.path]
        try tar.run()
        tar.waitUntilExit()
        #expect(tar.terminationStatus == 0)
        var packaged = Set<String>()
        for case let url as URL in FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)! {
            if let data = try? Data(contentsOf: url) { packaged.insert(Self.digest(data)) }
        }
        for file in result.files {
            let uploaded = try Data(contentsOf: dataSet.recordingsURL.appendingPathComponent(file.path))
            #expect(packaged.contains(Self.digest(uploaded)), "a recording in the package differs from the uploaded object")
        }
    }

    @Test("Erasure leaves no object and no version of the subject; every other object keeps every version (moto, versioned)")
    func erasure() async throws {
        guard let server = S3TestServer.moto else { return }
        let (dataSet, bucket) = try await Self.makeExample(server)
        let catalog = try Catalog.load(from: dataSet.s3CatalogURL)
        let person = try #require(dataSet.person(email: "amel.benali@example.tn"))
        // A second take of one of her recordings: an older version erasure must find too.
        let planned = try await ErasurePlanner(catalog: catalog, stores: try Self.stores(catalog), maskingKey: MaskingKey.random())
            .plan(for: try DataSubject(parsing: ["email:\(person.email)"], catalog: catalog))
        let doomed = Set(planned.collections.flatMap(\.files).map(\.path))
        let retaken = try #require(doomed.sorted().first)
        try await server.put(bucket, retaken, Data("a second take".utf8))
        let before = try await server.versions(bucket)

        let ledger = try Ledger(url: dataSet.directory.appendingPathComponent("ledger.sqlite"))
        _ = try ledger.generateSigningKey()
        let outcome = try await Erasure(catalog: catalog, stores: try Self.stores(catalog, readOnly: false), ledger: ledger)
            .execute(try DataSubject(parsing: ["email:\(person.email)"], catalog: catalog))
        #expect(outcome.isComplete, "\(outcome.residue)")
        let erased = Set(outcome.plan.collections.flatMap(\.files).map(\.path))
        #expect(erased == doomed)

        let erasedVersions = before.filter { erased.contains($0.key) }.count
        #expect(erasedVersions == erased.count + 1)
        #expect(outcome.certificate.fileVersionsDeleted == erasedVersions, "the certificate counts every version deleted")
        let after = try await server.versions(bucket)
        #expect(!after.contains { erased.contains($0.key) }, "a version of an erased recording is still in the bucket")
        let others = before.filter { !erased.contains($0.key) }
        #expect(Set(after.map { "\($0.key)@\($0.version)" }) == Set(others.map { "\($0.key)@\($0.version)" }),
                "another object's versions changed")
    }

    struct Interrupted: Error {}

    @Test("An erasure stopped after its first file was removed resumes to completion: no version of the subject left (moto)")
    func resume() async throws {
        guard let server = S3TestServer.moto else { return }
        let (dataSet, bucket) = try await Self.makeExample(server, customers: 6)
        let catalog = try Catalog.load(from: dataSet.s3CatalogURL)
        let subject = try DataSubject(parsing: ["email:amel.benali@example.tn"], catalog: catalog)
        let before = try await server.versions(bucket)
        let ledger = try Ledger(url: dataSet.directory.appendingPathComponent("ledger.sqlite"))
        _ = try ledger.generateSigningKey()
        let failing = FaultInjectingLedger(wrapping: ledger, afterStep: 1, at: .beforeJournal) { throw Interrupted() }
        await #expect(throws: Interrupted.self) {
            try await Erasure(catalog: catalog, stores: try Self.stores(catalog, readOnly: false), ledger: failing).execute(subject)
        }
        #expect(try await ledger.unfinishedRuns().count == 1)

        let resumed = try await Erasure(catalog: catalog, stores: try Self.stores(catalog, readOnly: false), ledger: ledger).resume()
        let outcome = try #require(try resumed.first?.get())
        #expect(outcome.isComplete, "\(outcome.residue)")
        let erased = Set(outcome.plan.collections.flatMap(\.files).map(\.path))
        #expect(!erased.isEmpty)
        let after = try await server.versions(bucket)
        #expect(!after.contains { erased.contains($0.key) }, "a version of an erased recording is still in the bucket")
        #expect(Set(after.map { "\($0.key)@\($0.version)" }) == Set(before.filter { !erased.contains($0.key) }.map { "\($0.key)@\($0.version)" }))
    }

    static func digest(_ data: Data) -> String { SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined() }
}

extension FoundRecord {
    var item: ExpectedItem { ExpectedItem(collection: id.collection, key: id.key.values.map(\.description).joined(separator: ",")) }
}
