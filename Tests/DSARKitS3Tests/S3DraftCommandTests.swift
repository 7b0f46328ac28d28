import CallCenterExample
import DSARKit
import Foundation
import Testing

/// `dsar catalog draft --store NAME=s3://…` and `dsar check --coverage` over a bucket, run as a
/// privacy officer runs them, against the real rclone server.
@Suite("dsar catalog draft and check --coverage on S3 buckets")
struct S3DraftCommandTests {
    struct Output {
        let status: Int32
        let stdout: String
        let stderr: String
        var printed: String { stdout + "\n" + stderr }
    }

    /// The built `dsar`, next to the tests (`swift build --build-tests` builds it).
    static func dsar(_ arguments: [String]) throws -> Output {
        let folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let binary = [folder, Bundle.main.bundleURL.deletingLastPathComponent()].map { $0.appendingPathComponent("dsar") }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
        let process = Process()
        process.executableURL = try #require(binary, "the dsar executable is not next to the tests; run swift build --build-tests")
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }

    @Test("draft --store NAME=s3://BUCKET writes a type: s3 store naming only the credentials' variables, and its pattern collections (rclone)")
    func draft() async throws {
        guard let server = S3TestServer.rclone else { return }
        let (example, bucket) = try await S3ExampleTests.makeExample(server)
        let out = example.directory.appendingPathComponent("draft-s3.yaml")
        let s3 = ["--s3-endpoint", server.endpoint.absoluteString, "--s3-access-key-env", "DSAR_TEST_S3_ACCESS_KEY",
                  "--s3-secret-key-env", "DSAR_TEST_S3_SECRET_KEY"]
        let draft = try Self.dsar(["catalog", "draft", "--store", "crm=\(example.databaseURL.path)", "--store", "recordings=s3://\(bucket)/",
                                   "--regions", "FR", "--out", out.path] + s3)
        #expect(draft.status == 0, "\(draft.stderr)")
        let yaml = try String(contentsOf: out, encoding: .utf8)
        #expect(yaml.contains("  recordings: { type: s3, accessKeyEnv: \"DSAR_TEST_S3_ACCESS_KEY\", bucket: \"\(bucket)\", "
                              + "endpoint: \"\(server.endpoint.absoluteString)\", pathStyle: \"true\", region: \"us-east-1\", "
                              + "secretKeyEnv: \"DSAR_TEST_S3_SECRET_KEY\" }"), "\(yaml)")
        #expect(yaml.contains("    files: { store: recordings, column: path }  #"))
        #expect(yaml.contains("    pattern: \"voicemail/{phone}_{"))
        #expect(!yaml.contains(server.secretKey) && !yaml.contains(server.accessKey))
        let catalog = try Catalog.load(from: out)
        #expect(catalog.store(named: "recordings")?.settings["bucket"] == bucket)

        let missing = try Self.dsar(["catalog", "draft", "--store", "recordings=s3://\(bucket)/calls"])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("give --s3-endpoint, --s3-access-key-env and --s3-secret-key-env"), "\(missing.stderr)")
        let printed = draft.printed + yaml + missing.printed
        #expect(S3DraftTests.personalValues(example).allSatisfy { !printed.contains($0) })
    }

    @Test("check --coverage lists the catalog's buckets: fails on an uncatalogued prefix of phone-number names, passes once ignored (rclone)")
    func coverage() async throws {
        guard let server = S3TestServer.rclone else { return }
        let (example, bucket) = try await S3ExampleTests.makeExample(server)
        let clean = try Self.dsar(["check", "--coverage", "--catalog", example.s3CatalogURL.path])
        #expect(clean.status == 0, "\(clean.printed)")
        for (index, phone) in S3DraftTests.callbackPhones.enumerated() {
            try await server.put(bucket, "callbacks/\(phone)-2026031\(index).wav", Data("RIFF".utf8))
        }
        let caught = try Self.dsar(["check", "--coverage", "--catalog", example.s3CatalogURL.path])
        #expect(caught.status == 1)
        #expect(caught.stdout.contains("recordings/callbacks/{phone}-{date}.wav: files whose names hold phone numbers, which no collection covers"),
                "\(caught.stdout)")
        let json = try Self.dsar(["check", "--coverage", "--json", "--catalog", example.s3CatalogURL.path])
        #expect(json.status == 1)
        #expect(json.stdout.contains("\"pattern\" : \"callbacks/{phone}-{date}.wav\""), "\(json.stdout)")

        let text = try String(contentsOf: example.s3CatalogURL, encoding: .utf8)
        try (text + "coverage:\n  ignore:\n    - { folder: recordings/callbacks, reason: \"call-back prompts, erased nightly\" }\n")
            .write(to: example.s3CatalogURL, atomically: true, encoding: .utf8)
        let ignored = try Self.dsar(["check", "--coverage", "--catalog", example.s3CatalogURL.path])
        #expect(ignored.status == 0, "\(ignored.printed)")
        #expect(ignored.stdout.contains("0 columns and 2 files ignored by coverage.ignore."))
        let printed = [clean.printed, caught.printed, json.printed, ignored.printed].joined(separator: "\n")
        #expect(S3DraftTests.personalValues(example).allSatisfy { !printed.contains($0) })
    }
}
