import Foundation

/// A file of a files store.
struct FileKey: Hashable {
    let store: String
    let path: String
}

extension ErasurePlanner {
    /// What erasure does with each of the subject's rows: each row's own rule, then holds
    /// passed down to the rows under a held row, then rows kept because a row that stays
    /// points at them.
    func decisions(for result: DiscoveryResult, onlyBasis: LawfulBasis?, selected: Set<RecordID>? = nil, at date: Date,
                   shared: Set<RecordID>, locks: [RecordID: FileLock] = [:]) -> [RecordID: RowDecision] {
        var decisions: [RecordID: RowDecision] = [:]
        var collections: [String: DataCollection] = [:]
        // Rows left alone that are under a hold: the hold still reaches the rows under them.
        var heldOutside: [RecordID: RowDecision] = [:]
        for found in result.records {
            guard let collection = catalog.collection(named: found.id.collection) else { continue }
            collections[collection.name] = collection
            let own = decide(found, collection, onlyBasis: nil, at: date, shared: shared)
            decisions[found.id] = selected.map { $0.contains(found.id) } == false ? .outOfScope
                : decide(found, collection, onlyBasis: onlyBasis, at: date, shared: shared)
            if decisions[found.id] == .outOfScope, case .hold = own { heldOutside[found.id] = own }
            // A file its store will not delete (S3 Object Lock) holds its record, like a hold rule.
            if let lock = locks[found.id], decisions[found.id] == .delete {
                decisions[found.id] = .hold(reason: lock.reason, until: lock.until)
            }
        }
        let rows = RowIndex(result.records, catalog: catalog)
        holdChildren(&decisions, rows, collections, heldOutside: heldOutside)
        keepReferencedRows(&decisions, rows, collections)
        return decisions
    }

    /// A hold keeps the rows under the held row (its calls, their recordings), unless its
    /// rule says `reachesChildren: false`. They are held with the hold's reason and date,
    /// "under" the held row.
    private func holdChildren(_ decisions: inout [RecordID: RowDecision], _ rows: RowIndex,
                              _ collections: [String: DataCollection], heldOutside: [RecordID: RowDecision] = [:]) {
        let held = rows.records.map(\.id).filter { id in
            guard collections[id.collection]?.hold?.reachesChildren == true, case .hold? = heldOutside[id] ?? decisions[id] else { return false }
            return true
        }
        let current = decisions
        let reached = rows.rowsUnder(held, catalog: catalog) { child in
            switch current[child] {
            case .delete?, .mask?: true
            default: false
            }
        }
        for (row, origin) in reached {
            guard case .hold(let reason, let until, _)? = heldOutside[origin] ?? decisions[origin] else { continue }
            decisions[row] = .hold(reason: reason, until: until, under: origin.safeName(in: catalog))
        }
    }

    /// A row kept as it is (held, retained, shared, out of scope, or kept itself) keeps every
    /// row of the subject it points at: that row is not deleted, nor masked in the column
    /// pointed at. A masked row is the subject's row made anonymous: it keeps nothing.
    private func keepReferencedRows(_ decisions: inout [RecordID: RowDecision], _ rows: RowIndex,
                                    _ collections: [String: DataCollection]) {
        func pointers(of found: FoundRecord) -> [(Reference, [RecordID])] {
            guard let collection = collections[found.id.collection], let decision = decisions[found.id] else { return [] }
            switch decision {
            case .delete, .mask: return []
            default: return collection.references.map { ($0, rows.pointed(at: $0, from: found)) }
            }
        }
        func wouldLose(_ parent: RecordID, _ reference: Reference) -> Bool {
            switch decisions[parent] {
            case .delete?: return true
            case .mask(let masks)?: return masks.contains { $0.column == reference.targetColumn }
            default: return false
            }
        }
        var kept = Set<RecordID>()
        var changed = true
        while changed {
            changed = false
            for found in rows.records {
                for (reference, parents) in pointers(of: found) {
                    for parent in parents where parent != found.id && wouldLose(parent, reference) {
                        decisions[parent] = .kept(reason: "")
                        kept.insert(parent)
                        changed = true
                    }
                }
            }
        }
        guard !kept.isEmpty else { return }
        var referrers: [RecordID: [String]] = [:]
        for found in rows.records {
            for (_, parents) in pointers(of: found) {
                for parent in parents where kept.contains(parent) && parent != found.id {
                    referrers[parent, default: []].append(found.id.safeName(in: catalog))
                }
            }
        }
        for parent in kept {
            let names = Array(Set(referrers[parent] ?? [])).sorted()
            let more = names.count > 1 ? " and \(names.count - 1) more" : ""
            decisions[parent] = .kept(reason: "still referenced by \(names.first ?? "a kept row")\(more)")
        }
    }

    /// Files of rows to delete that a row staying behind also links (another recording row
    /// pointing at the same file, the subject's held one or another person's), each with
    /// one such row.
    func filesStillLinked(_ files: [FoundFile], deleted: Set<RecordID>) async throws -> [FileKey: RecordID] {
        var linked: [FileKey: RecordID] = [:]
        for (store, group) in Dictionary(grouping: files, by: \.store) {
            let paths = Set(group.map(\.path))
            for collection in catalog.collections {
                guard let link = collection.files, link.stores.contains(store), collection.pattern == nil else { continue }
                guard let lookup = link.lookup(forPaths: paths) else {
                    // Rows of this collection cannot be found by the file they link: keep the
                    // files rather than risk removing one another row still points at.
                    for path in paths where linked[FileKey(store: store, path: path)] == nil {
                        linked[FileKey(store: store, path: path)] = RecordID(collection: collection.name,
                                                                             key: RecordKey(columns: ["unchecked"], values: [.text("any row")]))
                    }
                    continue
                }
                let keyColumns = collection.key
                let match = ColumnMatch(column: lookup.column, values: lookup.values.sorted().map(Value.text))
                for try await row in try stores.store(for: collection).records(in: collection, where: match) {
                    guard case .file(let rowStore, let path) = link.location(for: row), rowStore == store, paths.contains(path) else { continue }
                    let id = RecordID(collection: collection.name, key: RecordKey(of: row, keyColumns: keyColumns))
                    let file = FileKey(store: store, path: path)
                    guard !deleted.contains(id) else { continue }
                    if let current = linked[file], current < id { continue }
                    linked[file] = id
                }
            }
        }
        return linked
    }
}

/// The subject's rows, found by the value of a column.
struct RowIndex {
    let records: [FoundRecord]
    private var byValue: [String: [String: [String: [RecordID]]]] = [:]

    /// Indexes the columns some reference of `catalog` points at.
    init(_ records: [FoundRecord], catalog: Catalog) {
        self.records = records
        var targets: [String: Set<String>] = [:]
        for reference in catalog.collections.flatMap(\.references) {
            targets[reference.targetCollection, default: []].insert(reference.targetColumn)
        }
        for found in records {
            for column in targets[found.id.collection] ?? [] {
                guard let text = found.record[column]?.textValue else { continue }
                byValue[found.id.collection, default: [:]][column, default: [:]][text, default: []].append(found.id)
            }
        }
    }

    /// The subject's rows that `reference` of `found` points at.
    func pointed(at reference: Reference, from found: FoundRecord) -> [RecordID] {
        guard reference.applies(to: found.record), let value = found.record[reference.column]?.textValue else { return [] }
        return byValue[reference.targetCollection]?[reference.targetColumn]?[value] ?? []
    }
}
