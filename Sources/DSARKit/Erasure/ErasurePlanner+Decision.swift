import Foundation

/// What erasure does with one row.
enum RowDecision: Equatable {
    case delete
    case mask([ColumnMask])
    /// Under a hold: its own, or the one of the held row it is `under`.
    case hold(reason: String, until: String?, under: String? = nil)
    case retain(reason: String)
    case shared
    case outOfScope
    /// Would be deleted (or masked in the column pointed at), but a row that stays points at it.
    case kept(reason: String)
}

extension ErasurePlanner {
    func decide(_ found: FoundRecord, _ collection: DataCollection, onlyBasis: LawfulBasis?, at date: Date,
                shared: Set<RecordID>) -> RowDecision {
        if let onlyBasis, basis(of: found.record, in: collection) != onlyBasis { return .outOfScope }
        if let hold = collection.hold {
            let (held, until) = hold.holds(found.record[hold.column] ?? .null, at: date)
            if held { return .hold(reason: hold.reason, until: until) }
        }
        switch collection.erase {
        case .retain(let reason): return .retain(reason: reason)
        case .delete: return shared.contains(found.id) ? .shared : .delete
        case .mask(let masks): return shared.contains(found.id) ? .shared : .mask(masks)
        }
    }

    /// The lawful basis of one row: the collection's, or read from its basis column.
    func basis(of record: Record, in collection: DataCollection) -> LawfulBasis? {
        switch collection.lawfulBasis {
        case .fixed(let basis)?: return basis
        case .column(let column)?: return record[column]?.textValue.flatMap { LawfulBasis(rawValue: $0.trimmingWhitespace()) }
        case nil: return nil
        }
    }

    /// The subject's rows that some row outside the subject's data references through a
    /// declared reference: changing them would change another person's data.
    func sharedRows(_ result: DiscoveryResult, subjectIDs: Set<RecordID>) async throws -> Set<RecordID> {
        var shared = Set<RecordID>()
        let byCollection = Dictionary(grouping: result.records, by: \.id.collection)
        for (name, records) in byCollection {
            guard let collection = catalog.collection(named: name) else { continue }
            if case .retain = collection.erase { continue }  // never changed: nothing to protect
            for (child, reference) in catalog.children(of: name) {
                var owners: [String: [RecordID]] = [:]
                for found in records {
                    if let value = found.record[reference.targetColumn]?.textValue { owners[value, default: []].append(found.id) }
                }
                guard !owners.isEmpty else { continue }
                let keyColumns = child.key.isEmpty && child.pattern != nil ? ["path"] : child.key
                let store = try stores.store(for: child)
                let match = ColumnMatch(column: reference.column, values: owners.keys.sorted().map(Value.text))
                for try await row in store.records(in: child, where: match) {
                    let id = RecordID(collection: child.name, key: RecordKey(of: row, keyColumns: keyColumns))
                    guard !subjectIDs.contains(id), reference.applies(to: row),
                          let value = row[reference.column]?.textValue else { continue }
                    shared.formUnion(owners[value] ?? [])
                }
            }
        }
        return shared
    }
}
