import DSARKit

extension PostgresStore {
    /// Every lookup at once: each is the statement ``records(in:where:)`` sends
    /// (`= ANY($1::type[])`, all its values in one bound array), all sent together over the
    /// pool's connections instead of one after the other. Results come back in the lookups' order.
    public func records(matching lookups: [StoreLookup]) async throws -> [[Record]] {
        if lookups.isEmpty { return [] }
        if lookups.count == 1 { return [try await allRecords(in: lookups[0].collection, where: lookups[0].match)] }
        return try await withThrowingTaskGroup(of: (Int, [Record]).self) { group in
            for (index, lookup) in lookups.enumerated() {
                group.addTask { (index, try await self.allRecords(in: lookup.collection, where: lookup.match)) }
            }
            var results = [[Record]](repeating: [], count: lookups.count)
            for try await (index, records) in group { results[index] = records }
            return results
        }
    }
}
