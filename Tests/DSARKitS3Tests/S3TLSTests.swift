import AsyncHTTPClient
import DSARKit
import DSARKitS3
import DSARKitTesting
import Foundation
import Logging
import NIOSSL
import Testing

/// `https` endpoints behind an internal certificate authority: `rclone serve s3 --cert --key`
/// with a certificate signed by a CA the test makes, trusted through the store's `caFile`.
@Suite("S3 store over https with a private CA")
struct S3TLSTests {
    /// An https rclone whose certificate `ca` signed, and the server as the tests fill it (their
    /// own client trusts `ca`; stores are opened from declarations, with their own `caFile`).
    static func withHTTPSRclone(_ body: (S3TestServer, TestCertificateAuthority) async throws -> Void) async throws {
        let ca = try TestCertificateAuthority.make()
        defer { ca.remove() }
        guard let rclone = try await RcloneServer.start(ca.rcloneArguments) else { return }
        defer { rclone.stop() }
        #expect(rclone.address.scheme == "https")
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .file(ca.caFile.path)
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: HTTPClient.Configuration(tlsConfiguration: tls))
        let server = S3TestServer(kind: "rclone https", endpoint: rclone.address, accessKey: "dsar-test-key", secretKey: "dsar-test-secret",
                                  http: client, caFile: ca.caFile.path)
        do {
            try await body(server, ca)
            try await client.shutdown()
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    /// A store opened from its catalog declaration alone (its own client, its own trust).
    static func store(_ server: S3TestServer, bucket: String, prefix: String = "", caFile: String?) throws -> S3Store {
        var declaration = server.declaration(name: "recordings", bucket: bucket, prefix: prefix)
        declaration.settings["caFile"] = caFile
        return try S3Store(declaration: declaration, environment: server.credentialsEnvironment, logger: Logger(label: "test"))
    }

    @Test("With the CA in caFile, the store passes the file store and erasable file store suites over https")
    func trusted() async throws {
        try await Self.withHTTPSRclone { server, ca in
            let (files, erasable) = (S3TestServer.bucketName(), S3TestServer.bucketName())
            try await server.createBucket(files)
            let failures = await FileStoreConformance { contents in
                try await server.put(files, files: contents)
                return try Self.store(server, bucket: files, caFile: ca.caFile.path)
            }.run()
            #expect(failures.isEmpty, "\(failures)")
            try await server.createBucket(erasable)
            let erasableFailures = await ErasableFileStoreConformance { contents in
                try await server.put(erasable, files: contents)
                return try Self.store(server, bucket: erasable, caFile: ca.caFile.path)
            }.run()
            #expect(erasableFailures.isEmpty, "\(erasableFailures)")
        }
    }

    @Test("Without the CA (the system's trust store) or with another CA, every request fails: an error naming the store and the untrusted certificate, no key, no secret")
    func untrusted() async throws {
        try await Self.withHTTPSRclone { server, _ in
            let bucket = S3TestServer.bucketName()
            try await server.createBucket(bucket)
            let key = "0612345678/2026-03-15-call.wav"
            try await server.put(bucket, "calls/" + key, Data("RIFF".utf8))
            let other = try TestCertificateAuthority.make()
            defer { other.remove() }
            let trusts: [(caFile: String?, says: String)] = [(nil, "the system's trust store"), (other.caFile.path, "caFile '\(other.caFile.path)'")]
            for (caFile, trust) in trusts {
                let store = try Self.store(server, bucket: bucket, prefix: "calls/", caFile: caFile)
                let check = await #expect(throws: DSARError.self) { try await store.checkReachable() }
                let read = await #expect(throws: DSARError.self) { try await store.file(at: key) }
                for error in [check, read].compactMap({ $0 }) {
                    let text = "\(error)"
                    #expect(error.code == .storeUnavailable)
                    #expect(error.message.contains("s3 store 'recordings'"), "\(text)")
                    #expect(error.message.contains("TLS certificate of its endpoint is not trusted"), "\(text)")
                    #expect(error.message.contains(trust), "\(text)")
                    #expect(error.message.contains("caFile: path/to/ca.pem"), "the error says how to fix it: \(text)")
                    for secret in ["0612345678", server.secretKey, server.accessKey] {
                        #expect(!text.contains(secret), "the error quotes a key or a credential")
                    }
                }
            }
        }
    }
}

/// Virtual-hosted style over https: the certificate must name the bucket's host.
@Suite("S3 store over https in virtual-hosted style")
struct S3TLSVirtualHostTests {
    @Test("The certificate is checked against the bucket's host name (SNI and verification): a wildcard certificate passes, one without the bucket's host is an error naming that host")
    func bucketHost() async throws {
        let cases: [(names: [String], trusted: Bool)] = [
            (["DNS:s3.dsar.test", "DNS:*.s3.dsar.test"], true), (["DNS:s3.dsar.test", "DNS:other.s3.dsar.test"], false),
        ]
        for (names, trusted) in cases {
            let ca = try TestCertificateAuthority.make(names: names)
            defer { ca.remove() }
            guard let rclone = try await RcloneServer.start(ca.rcloneArguments + ["--force-path-style=false"]) else { return }
            defer { rclone.stop() }
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.trustRoots = .file(ca.caFile.path)
            let bucket = S3TestServer.bucketName()
            let base = S3TestServer(kind: "rclone https", endpoint: rclone.address, accessKey: "dsar-test-key", secretKey: "dsar-test-secret")
            try await base.virtualHosted(buckets: [bucket], tls: tls) { server in
                let store = try server.store(name: "recordings", bucket: bucket)
                if trusted {
                    try await server.createBucket(bucket)
                    try await server.put(bucket, "voicemail/0612345678_20260101T090000.wav", Data("RIFF".utf8))
                    #expect(try await store.checkReachable().isEmpty)
                    #expect(try await store.file(at: "voicemail/0612345678_20260101T090000.wav")?.size == 4)
                } else {
                    let error = await #expect(throws: DSARError.self) { try await store.checkReachable() }
                    let text = error.map { "\($0)" } ?? ""
                    #expect(error?.message.contains("does not name host '\(bucket).s3.dsar.test'") == true, "\(text)")
                    #expect(error?.message.contains("s3 store 'recordings'") == true, "\(text)")
                }
            }
        }
    }
}

/// The real `dsar check` on the bucket example over https: the CA file is part of the check.
@Suite("dsar check on a bucket over https")
struct S3TLSCheckCommandTests {
    @Test("dsar check passes with caFile (relative to the catalog); a missing caFile and another CA's are errors naming the store")
    func check() async throws {
        try await S3TLSTests.withHTTPSRclone { server, ca in
            let (dataSet, _) = try await S3ExampleTests.makeExample(server, customers: 4)
            let certs = dataSet.directory.appendingPathComponent("certs")
            try FileManager.default.createDirectory(at: certs, withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: ca.caFile, to: certs.appendingPathComponent("internal-ca.pem"))
            let other = try TestCertificateAuthority.make()
            defer { other.remove() }
            try FileManager.default.copyItem(at: other.caFile, to: certs.appendingPathComponent("other-ca.pem"))
            let environment = ["DSAR_TEST_S3_ACCESS_KEY": server.accessKey, "DSAR_TEST_S3_SECRET_KEY": server.secretKey]
            let catalog = try String(contentsOf: dataSet.s3CatalogURL, encoding: .utf8)
            func check(caFile: String) throws -> (status: Int32, output: String) {
                let edited = catalog.replacingOccurrences(of: "caFile: \"\(ca.caFile.path)\"", with: "caFile: \"\(caFile)\"")
                #expect(edited != catalog)
                try edited.write(to: dataSet.s3CatalogURL, atomically: true, encoding: .utf8)
                return try S3CheckCommandTests().run(["check", "--catalog", dataSet.s3CatalogURL.path], environment: environment)
            }

            let trusted = try check(caFile: "certs/internal-ca.pem")
            #expect(trusted.status == 0, "\(trusted.output)")
            let missing = try check(caFile: "certs/missing-ca.pem")
            #expect(missing.status == 1)
            #expect(missing.output.contains("s3 store 'recordings' has caFile 'certs/missing-ca.pem', which does not exist"), "\(missing.output)")
            let untrusted = try check(caFile: "certs/other-ca.pem")
            #expect(untrusted.status == 1)
            #expect(untrusted.output.contains("s3 store 'recordings': the TLS certificate of its endpoint is not trusted"), "\(untrusted.output)")
            #expect(!untrusted.output.contains(server.secretKey))
        }
    }
}
