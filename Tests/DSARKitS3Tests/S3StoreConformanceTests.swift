import DSARKit
import DSARKitS3
import DSARKitTesting
import Foundation
import Logging
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

/// Listings longer than a page follow continuation tokens to the end.
@Suite("S3 store listings")
struct S3ListingTests {
    @Test("A pattern collection finds every object when the listing spans many pages (rclone and moto)")
    func pages() async throws {
        for server in S3StoreConformanceTests.servers {
            let bucket = S3TestServer.bucketName()
            try await server.createBucket(bucket)
            let phones = (0..<7).map { "06123456\(10 + $0)" }
            for phone in phones { try await server.put(bucket, "voicemail/\(phone)_20260101T090000.wav", Data(phone.utf8)) }
            let configuration = S3StoreConfiguration(endpoint: server.endpoint, bucket: bucket, listPageSize: 2,
                                                     accessKey: server.accessKey, secretKey: server.secretKey)
            let store = S3Store(name: "files", configuration: configuration, logger: Logger(label: "test"))
            let found = try await store.allRecords(in: FileStoreConformance.collection,
                                                   where: ColumnMatch(column: "phone", values: phones.map(Value.text)))
            #expect(found.count == phones.count, "\(server.kind): \(found.count) of \(phones.count) voicemails found over 4 pages")
        }
    }
}
