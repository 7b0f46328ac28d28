import Foundation

/// A store that holds files: recordings, voicemails. Paths are relative to the store's root
/// and may never lead outside it.
public protocol FileStore: DataStore {
    /// Facts about the file at `path`, or `nil` if there is none.
    /// Throws ``DSARError/Code/pathEscapesRoot`` for a path that leads outside the root
    /// (`..`, absolute, or a symbolic link out), without reading it.
    func file(at path: String) async throws -> StoredFile?

    /// Streams the file's bytes in chunks to `body`, checking that its size does not change.
    func read(_ file: StoredFile, chunkSize: Int, into body: (UnsafeRawBufferPointer) throws -> Void) async throws
}

/// A file found in a ``FileStore``.
public struct StoredFile: Sendable, Hashable {
    /// The store's name.
    public var store: String
    /// The path relative to the store root, as the record holds it.
    public var path: String
    /// Size in bytes.
    public var size: Int64

    public init(store: String, path: String, size: Int64) {
        self.store = store
        self.path = path
        self.size = size
    }
}
