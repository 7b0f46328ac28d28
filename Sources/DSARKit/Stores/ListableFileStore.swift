import Foundation

/// A ``FileStore`` that can list every file it holds: what `dsar catalog draft` reads file names
/// from and `dsar check --coverage` checks. ``FolderStore`` lists its folder, `S3Store` the
/// objects below its prefix, page by page.
public protocol ListableFileStore: FileStore {
    /// The path of every file of the store, relative to its root (a folder) or prefix (a
    /// bucket), in any order. A part of the store that cannot be listed throws: an unreadable
    /// folder is not an empty one.
    func allFilePaths() async throws -> [String]
}

extension ListableFileStore {
    /// The first `limit` bytes of the file at `path` (a sidecar's text), read through
    /// ``FileStore/read(_:chunkSize:into:)``; `nil` when there is no such file.
    func head(of path: String, limit: Int) async throws -> Data? {
        guard let file = try await file(at: path) else { return nil }
        var data = Data()
        do {
            try await read(file, chunkSize: min(limit, 1 << 16)) { bytes in
                data.append(contentsOf: bytes.prefix(limit - data.count))
                if data.count >= limit { throw EnoughRead() }
            }
        } catch is EnoughRead {}
        return data
    }
}

/// Stops a read once ``ListableFileStore/head(of:limit:)`` has its bytes.
private struct EnoughRead: Error {}

extension FolderStore: ListableFileStore {
    public func allFilePaths() async throws -> [String] {
        try listFiles(below: "", collection: "(listing)").paths
    }
}
