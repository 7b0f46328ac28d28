extension RowIndex {
    /// The rows under `held` rows (their calls, the calls' recordings), each with the held row
    /// it is under, going down through the references that put a row under another
    /// (``Catalog/isOwnership(_:of:for:)``). A row takes the hold of the first held row that
    /// reaches it, and passes it on, only when `takesHold` says so (a row with its own hold
    /// keeps its own). The erasure plan and the package page both ask here, so they agree.
    func rowsUnder(_ held: [RecordID], catalog: Catalog, takesHold: (RecordID) -> Bool) -> [(row: RecordID, under: RecordID)] {
        var children: [RecordID: [RecordID]] = [:]
        for found in records {
            guard let collection = catalog.collection(named: found.id.collection) else { continue }
            for reference in collection.references where catalog.isOwnership(reference, of: collection, for: found.record) {
                for parent in pointed(at: reference, from: found) { children[parent, default: []].append(found.id) }
            }
        }
        var reached: [(row: RecordID, under: RecordID)] = []
        var seen = Set(held)
        var queue = held.map { (id: $0, origin: $0) }
        var head = 0
        while head < queue.count {
            let (id, origin) = queue[head]
            head += 1
            for child in children[id] ?? [] where !seen.contains(child) && takesHold(child) {
                seen.insert(child)
                reached.append((child, origin))
                queue.append((child, origin))
            }
        }
        return reached
    }
}
