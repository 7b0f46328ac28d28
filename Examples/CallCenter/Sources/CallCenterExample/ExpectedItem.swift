/// One item a DSAR search is expected to report.
public struct ExpectedItem: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// Catalog collection name: customers, consents, calls, recordings or voicemails.
    public let collection: String
    /// Decimal row id for tables; path relative to the store root for voicemails.
    public let key: String

    public init(collection: String, key: String) {
        self.collection = collection
        self.key = key
    }

    public init(_ collection: String, _ id: Int) {
        self.init(collection: collection, key: String(id))
    }

    public static func < (lhs: ExpectedItem, rhs: ExpectedItem) -> Bool {
        if lhs.collection != rhs.collection { return lhs.collection < rhs.collection }
        if let l = Int(lhs.key), let r = Int(rhs.key) { return l < r }
        return lhs.key < rhs.key
    }

    public var description: String { "\(collection)/\(key)" }
}
