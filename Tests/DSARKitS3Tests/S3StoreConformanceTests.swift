import DSARKit
import DSARKitS3
import DSARKitTesting
import Foundation
import Testing

/// The S3 store proves itself with the same suites as the folder store, on both real servers.
@Suite("S3 store conformance")
struct S3StoreConformanceTests {
    static var servers: [S3TestServer] { [S3TestServer.rclone, S3TestServer.moto].compactMap { $0 } }

    @Test("Passes the file store suite on rclone and moto, with and without a prefix")
    func fileStore() async throws {
        for server in Self.servers {
            for prefix in ["", "calls-archive/"] {
                let bucket = S3TestServer.bucketName()
                try await server.createBucket(bucket)
                let failures = await FileStoreConformance { files in
                    try await server.put(bucket, files: files, prefix: prefix)
                    return try server.store(bucket: bucket, prefix: prefix)
                }.run()
                #expect(failures.isEmpty, "\(server.kind), prefix '\(prefix)': \(failures)")
            }
        }
    }

    @Test("Passes the erasable file store suite on rclone and on a versioned moto bucket")
    func erasableFileStore() async throws {
        for server in Self.servers {
            let bucket = S3TestServer.bucketName()
            try await server.createBucket(bucket)
            if server.kind == "moto" { try await server.enableVersioning(bucket) }
            let failures = await ErasableFileStoreConformance { files in
                try await server.put(bucket, files: files)
                return try server.store(bucket: bucket)
            }.run()
            #expect(failures.isEmpty, "\(server.kind): \(failures)")
        }
    }
}
