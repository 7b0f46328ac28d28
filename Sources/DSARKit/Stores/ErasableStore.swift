/// A table store that erasure can change: it deletes rows and overwrites columns by key.
///
/// ``apply(_:to:)`` must be atomic (all of a ``RowChanges`` or nothing) and idempotent:
/// deleting a row that is already gone, or writing values a row already holds, succeeds
/// and changes nothing. Keys are data: bind them, never splice them into a query. Prove a
/// store with `ErasableStoreConformance` from `DSARKitTesting`.
public protocol ErasableStore: DataStore {
    /// Applies every delete and update of `changes` to `collection` in one transaction.
    ///
    /// A delete that something outside ``RowChanges/declaredReferrers`` still references
    /// must fail with ``DSARError/Code/blockedByReference`` naming the referencing table and
    /// column, and change nothing.
    func apply(_ changes: RowChanges, to collection: DataCollection) async throws
}

/// A file store whose files erasure can remove.
public protocol ErasableFileStore: FileStore {
    /// Removes the file at `path`. Returns `false` when there was nothing to remove, which is
    /// not an error (a second removal is harmless). Refuses paths outside the root like
    /// ``FileStore/file(at:)``.
    @discardableResult
    func removeFile(at path: String) async throws -> Bool
}
