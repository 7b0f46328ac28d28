import AsyncHTTPClient
import DSARKit
import Foundation
import Logging
import NIOCore
import NIOSSL
import Synchronization

/// A `files` store in an S3-compatible bucket (AWS S3, MinIO, Ceph, rclone, …): recordings
/// and voicemails as objects below a prefix.
///
/// Paths are relative to ``S3StoreConfiguration/prefix`` and may not lead outside it (`..`,
/// absolute paths), exactly as a ``FolderStore``'s may not leave its root. Sizes come from
/// `HEAD`, bytes are streamed from `GET` chunk by chunk (memory does not grow with the object),
/// pattern collections list the pattern's literal prefix with `ListObjectsV2`, and erasure
/// deletes every version of an object (see ``removeFile(at:)``).
///
/// Errors name the store, the bucket and the HTTP status, never an object key.
public final class S3Store: FileStore, Sendable {
    public let name: String
    public let configuration: S3StoreConfiguration
    let client: S3Client
    let logger: Logger
    let listings: S3ListingCache
    /// Whether the bucket keeps versions, once asked.
    let versioning = Mutex<Bool?>(nil)
    /// Whether objects of the bucket may be locked (Object Lock enabled, or not known), once asked.
    let objectLock = Mutex<Bool?>(nil)

    /// The clients stores use unless given one, one per read timeout and CA file: AsyncHTTPClient's
    /// defaults plus ``S3StoreConfiguration/readTimeout`` and ``S3StoreConfiguration/caFile``,
    /// without retrying a connection that could not be made.
    /// They live for the whole process, like `HTTPClient.shared`.
    static let clients = Mutex<[ClientSettings: HTTPClient]>([:])

    struct ClientSettings: Hashable {
        var readTimeout: Duration
        var caFile: String?
    }

    static func client(for configuration: S3StoreConfiguration) -> HTTPClient {
        let settings = ClientSettings(readTimeout: configuration.readTimeout, caFile: configuration.caFile?.path)
        return clients.withLock { clients in
            if let client = clients[settings] { return client }
            let timeout = settings.readTimeout.components
            let milliseconds = timeout.seconds * 1000 + timeout.attoseconds / 1_000_000_000_000_000
            var http = HTTPClient.Configuration(timeout: .init(connect: .seconds(10), read: .milliseconds(milliseconds)))
            // A connection that cannot be made (refused, a certificate not trusted) fails the
            // request at once with its reason, instead of being retried until the connect
            // timeout and reported as a timeout: a setting to fix is said in a second, and an
            // interrupted erasure is resumed, never half-done.
            http.connectionPool.retryConnectionEstablishment = false
            if let caFile = settings.caFile {
                var tls = TLSConfiguration.makeClientConfiguration()
                tls.trustRoots = .file(caFile)
                http.tlsConfiguration = tls
            }
            let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: http)
            clients[settings] = client
            return client
        }
    }

    /// `http` defaults to a process-wide client with the configuration's read timeout and CA
    /// file; give your own to share one with your service, or for a proxy (its timeouts and TLS
    /// settings then apply, and ``S3StoreConfiguration/caFile`` is not used).
    public init(name: String, configuration: S3StoreConfiguration, http: HTTPClient? = nil, logger: Logger) {
        self.name = name
        self.configuration = configuration
        client = S3Client(configuration: configuration, store: name, http: http ?? Self.client(for: configuration))
        self.logger = logger
        listings = S3ListingCache(lifetime: configuration.listingLifetime)
    }

    // MARK: Linked files

    public func file(at path: String) async throws -> StoredFile? {
        let key = try objectKey(path)
        let response = try await client.send(.HEAD, key: key)
        switch response.status.code {
        case 200:
            guard let size = response.headers.first(name: "content-length").flatMap(Int64.init) else {
                throw DSARError(.storeFailure, "s3 store '\(name)': bucket '\(configuration.bucket)' gave no size for an object",
                                location: client.location)
            }
            return StoredFile(store: name, path: path, size: size)
        case 404:
            return nil
        default:
            throw await client.failure(response, doing: "reading an object's size")
        }
    }

    /// Streams the object as the server sends it, in chunks of at most `chunkSize` bytes;
    /// throws if it does not have the size ``file(at:)`` saw.
    public func read(_ file: StoredFile, chunkSize: Int = 1 << 20, into body: (UnsafeRawBufferPointer) throws -> Void) async throws {
        let response = try await client.send(.GET, key: objectKey(file.path))
        switch response.status.code {
        case 200: break
        case 404: throw DSARError(.fileMissing, "a file vanished before it was read", location: client.location)
        default: throw await client.failure(response, doing: "reading an object")
        }
        var total: Int64 = 0
        var failure: (any Error)?
        do {
            for try await buffer in response.body {
                total += Int64(buffer.readableBytes)
                guard total <= file.size else { break }
                do {
                    try buffer.withUnsafeReadableBytes { bytes in
                        var offset = 0
                        while offset < bytes.count {
                            let end = min(offset + max(chunkSize, 1), bytes.count)
                            try body(UnsafeRawBufferPointer(rebasing: bytes[offset..<end]))
                            offset = end
                        }
                    }
                } catch {
                    failure = error
                    break
                }
            }
        } catch {
            throw DSARError(.storeFailure, "s3 store '\(name)': reading an object from bucket '\(configuration.bucket)' was cut off",
                            location: client.location, cause: S3TransportError(underlying: error))
        }
        if let failure { throw failure }
        guard total == file.size else {
            throw DSARError(.storeFailure, "a file changed size while it was read (expected \(file.size) bytes)", location: client.location)
        }
    }

    /// The object key of a store path. Refuses, before any request, a path that would lead
    /// outside the prefix: absolute, empty, holding `..` or a NUL.
    func objectKey(_ path: String) throws -> String {
        let components = path.split(separator: "/", omittingEmptySubsequences: true)
        guard !path.hasPrefix("/"), !path.contains("\0"), !components.isEmpty, !components.contains(where: { $0 == ".." }) else {
            throw DSARError(.pathEscapesRoot, "a file path leads outside the prefix of store '\(name)' and was not read", location: name)
        }
        return configuration.prefix + path
    }
}
