/// One change of an erasure, done in one store transaction (or one file removal) and marked
/// done in the journal once it has committed. Doing a done step again changes nothing.
public struct ErasureStep: Sendable, Codable, Hashable {
    public enum Action: Sendable, Codable, Hashable {
        /// Remove one file (recorded as pending in the journal before it is unlinked).
        case removeFile(path: String, size: Int64)
        /// Delete and mask rows of the collection in one transaction.
        case changeRows(RowChanges)
    }

    /// 0-based position in the plan.
    public var index: Int
    public var collection: String
    /// The store changed: the collection's store, or the files store of a linked file.
    public var store: String
    public var action: Action
    /// For row steps: a digest of each row as planned (deletes, then updates), to notice on
    /// resume that the data changed since.
    public var rowDigests: [String]

    /// A description without personal data (no keys, no paths).
    public var summary: String {
        switch action {
        case .removeFile: return "remove a file of \(collection) from \(store)"
        case .changeRows(let changes):
            return "\(store)/\(collection): delete \(changes.deletes.count), mask \(changes.updates.count)"
        }
    }
}
