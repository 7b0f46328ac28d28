/// A file store that can lock files against deletion itself: S3 Object Lock (a retention
/// period, a legal hold). Erasure plans a locked file, and the record it belongs to, as held
/// (kept, with the lock's reason and date), never as a step that would fail and block the rest.
public protocol LockingFileStore: FileStore {
    /// The lock that keeps the file at `path` (any of its versions) from being deleted now,
    /// or `nil` when it can be deleted.
    func lock(on path: String) async throws -> FileLock?
}

/// A file store that keeps earlier versions of a file (an S3 bucket with versioning), which
/// ``ErasableFileStore/removeFile(at:)`` deletes too. The plan and the certificate count them.
public protocol VersionedFileStore: ErasableFileStore {
    /// How many versions and delete markers of the file at `path` there are, or `nil` when the
    /// store keeps no versions.
    func versionCount(at path: String) async throws -> Int?
}

/// Why a store will not delete a file, and until when.
public struct FileLock: Sendable, Hashable {
    /// Plain language, no personal data: `S3 Object Lock: legal hold`.
    public var reason: String
    /// The date the lock ends (ISO 8601), when it has one.
    public var until: String?
    /// A legal hold (kept until someone lifts it), rather than a retention period that ends on
    /// ``until``: the access page words the two differently.
    public var isLegalHold: Bool

    public init(reason: String, until: String? = nil, isLegalHold: Bool = false) {
        self.reason = reason
        self.until = until
        self.isLegalHold = isLegalHold
    }
}
