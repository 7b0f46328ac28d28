import DSARKit
import DSARKitS3
import Foundation
import Logging
import Testing

/// `dsar check` on s3 stores: bucket reachable, prefix present, credentials valid.
@Suite("S3 store check")
struct S3CheckTests {
    func catalog(_ store: StoreDeclaration) -> Catalog {
        Catalog(controller: Controller(name: "Example", contact: "dpo@example.com"), identifiers: [], stores: [store], collections: [])
    }

    func store(_ server: S3TestServer, bucket: String, prefix: String = "", secret: String? = nil) -> S3Store {
        S3Store(name: "recordings", configuration: S3StoreConfiguration(endpoint: server.endpoint, bucket: bucket, prefix: prefix,
                                                                        accessKey: server.accessKey, secretKey: secret ?? server.secretKey),
                logger: Logger(label: "test"))
    }

    func errors(_ server: S3TestServer, _ store: S3Store) async -> [CatalogProblem] {
        let catalog = catalog(server.declaration(name: "recordings", bucket: store.configuration.bucket))
        return await CatalogCheck(catalog: catalog).check(stores: StoreSet([store])).filter { $0.severity == .error }
    }

    @Test("A wrong secret is a clear error naming the store and the bucket, never the secret (rclone checks signatures)")
    func wrongSecret() async throws {
        guard let server = S3TestServer.rclone else { return }
        let bucket = S3TestServer.bucketName()
        try await server.createBucket(bucket)
        try await server.put(bucket, "calls/a.wav", Data("x".utf8))
        #expect(await errors(server, store(server, bucket: bucket, prefix: "calls/")).isEmpty)
        let problems = await errors(server, store(server, bucket: bucket, prefix: "calls/", secret: "not-the-secret"))
        let problem = try #require(problems.first)
        #expect(problem.message.contains("'recordings'"), "\(problem)")
        #expect(problem.message.contains("'\(bucket)'"), "\(problem)")
        #expect(problem.message.contains("credentials"), "\(problem)")
        #expect(problem.message.contains("HTTP 403"), "\(problem)")
        #expect(!problem.description.contains("not-the-secret"))
    }

    @Test("A missing bucket and an empty prefix are errors naming the store", arguments: ["rclone", "moto"])
    func missingBucketAndPrefix(kind: String) async throws {
        guard let server = kind == "rclone" ? S3TestServer.rclone : S3TestServer.moto else { return }
        let missing = await errors(server, store(server, bucket: S3TestServer.bucketName()))
        #expect(missing.first?.message.contains("'recordings'") == true, "\(missing)")
        let bucket = S3TestServer.bucketName()
        try await server.createBucket(bucket)
        try await server.put(bucket, "calls/a.wav", Data("x".utf8))
        let empty = await errors(server, store(server, bucket: bucket, prefix: "cals/"))
        #expect(empty.first?.message.contains("prefix 'cals/'") == true, "\(empty)")
    }
}

/// The real `dsar check` on the bucket variant of the example.
@Suite("dsar check on a bucket")
struct S3CheckCommandTests {
    func run(_ arguments: [String], environment: [String: String]) throws -> (status: Int32, output: String) {
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("dsar")
        let process = Process()
        process.executableURL = FileManager.default.isExecutableFile(atPath: binary.path) ? binary : URL(fileURLWithPath: ".build/debug/dsar")
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }

    @Test("dsar check passes with the right secret; a wrong one fails, naming the store and the refused credentials, not the secret")
    func wrongSecret() async throws {
        guard let server = S3TestServer.rclone else { return }
        let (dataSet, _) = try await S3ExampleTests.makeExample(server, customers: 6)
        let good = try run(["check", "--catalog", dataSet.s3CatalogURL.path],
                           environment: ["DSAR_TEST_S3_ACCESS_KEY": server.accessKey, "DSAR_TEST_S3_SECRET_KEY": server.secretKey])
        #expect(good.status == 0, "\(good.output)")
        let bad = try run(["check", "--catalog", dataSet.s3CatalogURL.path],
                          environment: ["DSAR_TEST_S3_ACCESS_KEY": server.accessKey, "DSAR_TEST_S3_SECRET_KEY": "wrong-secret-value"])
        #expect(bad.status == 1)
        #expect(bad.output.contains("s3 store 'recordings'"), "\(bad.output)")
        #expect(bad.output.contains("refused its credentials"), "\(bad.output)")
        #expect(!bad.output.contains("wrong-secret-value"))
    }
}
