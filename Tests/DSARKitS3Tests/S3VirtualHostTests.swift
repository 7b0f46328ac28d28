import DSARKit
import DSARKitS3
import DSARKitTesting
import Foundation
import Logging
import Testing

/// `pathStyle: false`: the bucket in the host name (`bucket.s3.dsar.test/key`), as AWS names
/// buckets. Against an `rclone serve s3 --force-path-style=false` the test starts (it serves
/// only that style and checks every signature) and the shared moto (which serves both). The
/// host names resolve through the client's DNS override, the way a service passes its own
/// `HTTPClient` to the store.
@Suite("S3 store in virtual-hosted style")
struct S3VirtualHostTests {
    /// A virtual-hosted rclone for `body`, stopped after it.
    static func withVirtualHostedRclone(_ body: (S3TestServer) async throws -> Void) async throws {
        guard let rclone = try await RcloneServer.start(["--force-path-style=false"]) else { return }
        defer { rclone.stop() }
        try await body(S3TestServer(kind: "rclone", endpoint: rclone.address, accessKey: "dsar-test-key", secretKey: "dsar-test-secret"))
    }

    static func conformance(_ base: S3TestServer, versioned: Bool) async throws {
        let (files, erasable) = (S3TestServer.bucketName(), S3TestServer.bucketName())
        try await base.virtualHosted(buckets: [files, erasable]) { server in
            try await server.createBucket(files)
            let failures = await FileStoreConformance { contents in
                try await server.put(files, files: contents, prefix: "calls-archive/")
                return try server.store(bucket: files, prefix: "calls-archive/")
            }.run()
            #expect(failures.isEmpty, "\(server.kind): \(failures)")

            try await server.createBucket(erasable)
            if versioned { try await server.enableVersioning(erasable) }
            let erasableFailures = await ErasableFileStoreConformance { contents in
                try await server.put(erasable, files: contents)
                return try server.store(bucket: erasable)
            }.run()
            #expect(erasableFailures.isEmpty, "\(server.kind): \(erasableFailures)")
        }
    }

    @Test("Passes the file store and erasable file store suites on rclone serving only virtual-hosted style")
    func rcloneConformance() async throws {
        try await Self.withVirtualHostedRclone { try await Self.conformance($0, versioned: false) }
    }

    @Test("Passes the file store and erasable file store suites on moto in virtual-hosted style, on a versioned bucket")
    func motoConformance() async throws {
        guard let moto = S3TestServer.moto else { return }
        try await Self.conformance(moto, versioned: true)
    }

    @Test("Signs the bucket's host and the key's path: rclone accepts the signature, and refuses the same request signed with a wrong secret")
    func signature() async throws {
        try await Self.withVirtualHostedRclone { base in
            let bucket = S3TestServer.bucketName()
            try await base.virtualHosted(buckets: [bucket]) { server in
                try await server.createBucket(bucket)
                try await server.put(bucket, "calls/2026/03/l'appel été.wav", Data("accents".utf8))
                let store = try server.store(name: "recordings", bucket: bucket, prefix: "calls/")
                #expect(try await store.checkReachable().isEmpty)
                #expect(try await store.file(at: "2026/03/l'appel été.wav")?.size == 7)

                let wrong = S3StoreConfiguration(endpoint: server.endpoint, bucket: bucket, prefix: "calls/", pathStyle: false,
                                                 accessKey: server.accessKey, secretKey: "not-the-secret")
                let refused = S3Store(name: "recordings", configuration: wrong, http: server.http, logger: Logger(label: "test"))
                let error = await #expect(throws: DSARError.self) { try await refused.checkReachable() }
                #expect(error?.message.contains("refused its credentials") == true, "\(error.map { "\($0)" } ?? "")")
                #expect(error.map { "\($0)" }?.contains("not-the-secret") == false)
            }
        }
    }

    @Test("The bucket example, pathStyle: false: discovery equals the ground truth, the package holds the uploaded bytes, erasure leaves no object of the subject and every other (rclone)")
    func example() async throws {
        try await Self.withVirtualHostedRclone { base in
            let bucket = S3TestServer.bucketName()
            try await base.virtualHosted(buckets: [bucket]) { server in
                let (dataSet, _) = try await S3ExampleTests.makeExample(server, bucket: bucket, customers: 6)
                let catalog = try Catalog.load(from: dataSet.s3CatalogURL)
                #expect(catalog.store(named: "recordings")?.settings["pathStyle"] == "false")
                let opener = S3Store.opener(environment: ["DSAR_TEST_S3_ACCESS_KEY": server.accessKey,
                                                          "DSAR_TEST_S3_SECRET_KEY": server.secretKey], http: server.http)
                let problems = await CatalogCheck(catalog: catalog).run(openers: ["s3": opener]).filter { $0.severity == .error }
                #expect(problems.isEmpty, "\(problems)")

                let stores = try StoreSet.open(for: catalog, openers: ["s3": opener])
                let discovery = Discovery(catalog: catalog, stores: stores)
                for person in dataSet.people {
                    let result = try await discovery.discover(try DataSubject(parsing: ["email:\(person.email)"], catalog: catalog))
                    let expected = dataSet.expectation(for: person)
                    #expect(Set(result.records.map(\.item)) == expected.records, "customer \(person.customerID)")
                    #expect(Set(result.files.map { "\($0.store)/\($0.path)" }) == expected.files, "customer \(person.customerID)")
                }

                let subject = try DataSubject(parsing: ["email:amel.benali@example.tn"], catalog: catalog)
                let result = try await discovery.discover(subject)
                #expect(!result.files.isEmpty)
                let package = dataSet.directory.appendingPathComponent("amel.tar.gz")
                let options = AccessPackageOptions(format: .tarGzip, encryption: .none, requestID: "REQ-S3-VH")
                _ = try await AccessPackageWriter(catalog: catalog, stores: stores).write(result: result, to: package, options: options)
                let packaged = try Self.digests(inPackage: package, extractingInto: dataSet.directory.appendingPathComponent("amel"))
                for file in result.files {
                    let uploaded = try Data(contentsOf: dataSet.recordingsURL.appendingPathComponent(file.path))
                    #expect(packaged.contains(S3ExampleTests.digest(uploaded)), "a recording in the package differs from the uploaded object")
                }

                let before = try await server.keys(bucket)
                let ledger = try Ledger(url: dataSet.directory.appendingPathComponent("ledger.sqlite"))
                _ = try ledger.generateSigningKey()
                let outcome = try await Erasure(catalog: catalog, stores: try StoreSet.open(for: catalog, openers: ["s3": opener], readOnly: false),
                                                ledger: ledger).execute(subject)
                #expect(outcome.isComplete, "\(outcome.residue)")
                let erased = Set(outcome.plan.collections.flatMap(\.files).map(\.path))
                #expect(!erased.isEmpty)
                #expect(try await server.keys(bucket) == before.filter { !erased.contains($0) }, "an object of the subject is left, or another one went")
            }
        }
    }

    /// The SHA-256 of every file in a tar.gz package.
    static func digests(inPackage package: URL, extractingInto folder: URL) throws -> Set<String> {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let tar = Process()
        tar.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        tar.arguments = ["bsdtar", "-x", "-f", package.path, "-C", folder.path]
        try tar.run()
        tar.waitUntilExit()
        #expect(tar.terminationStatus == 0)
        var digests = Set<String>()
        for case let url as URL in FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)! {
            if let data = try? Data(contentsOf: url) { digests.insert(S3ExampleTests.digest(data)) }
        }
        return digests
    }
}
