/// One lookup of a batch sent to a store (``DataStore/records(matching:)``): the records of
/// `collection` that `match` selects.
public struct StoreLookup: Sendable, Hashable {
    public var collection: DataCollection
    public var match: ColumnMatch

    public init(collection: DataCollection, match: ColumnMatch) {
        self.collection = collection
        self.match = match
    }
}

extension DataStore {
    /// One ``records(in:where:)`` per lookup, one after the other.
    public func records(matching lookups: [StoreLookup]) async throws -> [[Record]] {
        var results: [[Record]] = []
        results.reserveCapacity(lookups.count)
        for lookup in lookups { results.append(try await allRecords(in: lookup.collection, where: lookup.match)) }
        return results
    }
}
