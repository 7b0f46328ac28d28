import Logging

/// How a candidate record was reached.
enum Reach: Hashable {
    /// Its `column` holds a known identifier.
    case identifier(column: String, SubjectIdentifier)
    /// Its `column` references `parent` (it is a child of `parent`).
    case child(of: RecordID, column: String)
    /// `source.column` references it.
    case parent(of: RecordID, column: String)
}

/// Rows of `collection` whose `column` holds a value with this text.
struct LookupKey: Hashable {
    let collection: String
    let column: String
    let value: String
}

/// The state of one discovery: loaded rows, how each was reached, what has been looked up.
/// Used by one task only.
final class DiscoveryRun {
    let catalog: Catalog
    let stores: StoreSet
    let logger: Logger
    let seeds: [SubjectIdentifier]

    var rows: [RecordID: Record] = [:]
    /// Columns kept of each collection's rows (all when absent or `nil`).
    var kept: [String: Set<String>?] = [:]
    var reaches: [RecordID: Set<Reach>] = [:]
    var lookups: [LookupKey: [RecordID]] = [:]
    var identifierLookupsDone: Set<LookupKey> = []
    var childrenExpanded: Set<RecordID> = []
    var parentsExpanded: Set<RecordID> = []
    /// Raw spellings of identifiers seen in records, tried in later lookups.
    var observedSpellings: [SubjectIdentifier: Set<String>] = [:]
    /// Complete evidence of records, computed once.
    var evidenceCache: [RecordID: Evidence] = [:]

    init(catalog: Catalog, stores: StoreSet, logger: Logger, seeds: [SubjectIdentifier]) {
        self.catalog = catalog
        self.stores = stores
        self.logger = logger
        self.seeds = seeds
    }

    func execute() async throws -> DiscoveryResult {
        for round in 1...200 {
            let outcome = classify()
            var worked = try await loadMissing(outcome.missing)
            worked = try await lookUpIdentifiers(Set(outcome.known.keys)) || worked
            worked = try await expandChildren(of: outcome.owned.union(outcome.ambiguous)) || worked
            worked = try await expandParents(of: outcome.included) || worked
            if !worked {
                logger.debug("discovery settled", metadata: ["rounds": "\(round)", "candidates": "\(rows.count)"])
                return try await result(from: outcome)
            }
        }
        throw DSARError(.storeFailure, "discovery did not settle after 200 rounds; the catalog's references may loop through data")
    }

    // MARK: Lookups

    /// Looks every collection up by every known identifier not yet looked up there.
    private func lookUpIdentifiers(_ known: Set<SubjectIdentifier>) async throws -> Bool {
        var worked = false
        for collection in catalog.collections {
            for column in collection.identifiers {
                guard let type = catalog.identifierType(named: column.type) else { continue }
                let wanted = known.filter {
                    $0.type == column.type
                        && !identifierLookupsDone.contains(LookupKey(collection: collection.name, column: column.column, value: $0.value))
                }
                guard !wanted.isEmpty else { continue }
                worked = true
                let remaining = satisfyFromLoadedKeys(wanted, collection: collection, column: column.column, type: type)
                guard !remaining.isEmpty else { continue }
                var spellings = Set<String>()
                for identifier in remaining {
                    identifierLookupsDone.insert(LookupKey(collection: collection.name, column: column.column, value: identifier.value))
                    spellings.formUnion(type.spellings(of: identifier.value, national: column.countryCode != nil))
                    spellings.formUnion(observedSpellings[identifier] ?? [])
                }
                let comparison: ColumnMatch.Comparison = column.extract != nil ? .containing : type.kind == .email ? .caseInsensitive : .exact
                let values = comparison == .containing ? Set(spellings.map { $0.asciiLowercased() }) : spellings
                let match = ColumnMatch(column: column.storedColumn, values: values.sorted().map(Value.text),
                                        comparison: comparison, jsonPath: column.jsonPath)
                let store = try stores.store(for: collection)
                for try await record in store.records(in: collection, where: match) {
                    guard collection.scope.allHold(for: record),
                          let raw = column.rawValue(in: record), let normalized = type.normalize(raw) else { continue }
                    let identifier = SubjectIdentifier(type: column.type, normalizedValue: normalized)
                    guard wanted.contains(identifier) else { continue }
                    let id = add(record, to: collection)
                    reaches[id, default: []].insert(.identifier(column: column.column, identifier))
                    if column.countryCode == nil { observedSpellings[identifier, default: []].insert(raw) }
                }
            }
        }
        return worked
    }

    /// Finds the records under newly owned (or ambiguous) records, through the references
    /// that put a row under another (``Catalog/isOwnership(_:of:)``).
    private func expandChildren(of owned: Set<RecordID>) async throws -> Bool {
        let fresh = owned.subtracting(childrenExpanded).sorted()
        guard !fresh.isEmpty else { return false }
        childrenExpanded.formUnion(fresh)
        var wanted: [LookupKey: [(RecordID, Reference)]] = [:]
        for id in fresh {
            guard let record = rows[id] else { continue }
            let keyColumns = catalog.collection(named: id.collection)?.key ?? []
            for (child, reference) in catalog.ownedChildren(of: id.collection) {
                guard let value = record[reference.targetColumn]?.textValue else { continue }
                if keyColumns == [reference.targetColumn] {
                    // The parent is the only row with this key: its children's evidence needs no lookup.
                    lookups[LookupKey(collection: id.collection, column: reference.targetColumn, value: value)] = [id]
                }
                wanted[LookupKey(collection: child.name, column: reference.column, value: value), default: []]
                    .append((id, reference))
            }
        }
        try await load(Set(wanted.keys))
        for (key, sources) in wanted {
            for child in lookups[key] ?? [] {
                guard let row = rows[child] else { continue }
                // A polymorphic column points at this parent only on rows of the matching type,
                // and puts the row under it only if no reference of that row names its owner.
                guard let childCollection = catalog.collection(named: child.collection) else { continue }
                for (parent, reference) in sources
                where reference.applies(to: row) && catalog.isOwnership(reference, of: childCollection, for: row) {
                    reaches[child, default: []].insert(.child(of: parent, column: reference.column))
                }
            }
        }
        return true
    }

    /// Finds the records that newly included records reference.
    private func expandParents(of included: Set<RecordID>) async throws -> Bool {
        let fresh = included.subtracting(parentsExpanded).sorted()
        guard !fresh.isEmpty else { return false }
        parentsExpanded.formUnion(fresh)
        var wanted: [LookupKey: [(RecordID, String)]] = [:]
        for id in fresh {
            guard let record = rows[id], let collection = catalog.collection(named: id.collection) else { continue }
            for reference in collection.references where reference.applies(to: record) {
                guard let value = record[reference.column]?.textValue else { continue }
                wanted[LookupKey(collection: reference.targetCollection, column: reference.targetColumn, value: value), default: []]
                    .append((id, reference.column))
            }
        }
        try await load(Set(wanted.keys))
        for (key, sources) in wanted {
            for parent in lookups[key] ?? [] {
                for (source, column) in sources { reaches[parent, default: []].insert(.parent(of: source, column: column)) }
            }
        }
        return true
    }

    private func loadMissing(_ missing: Set<LookupKey>) async throws -> Bool {
        let keys = missing.filter { lookups[$0] == nil }
        guard !keys.isEmpty else { return false }
        try await load(keys)
        return true
    }

    /// Fetches rows by exact column values, batched per collection and column, into `lookups`.
    func load(_ keys: Set<LookupKey>) async throws {
        let grouped = Dictionary(grouping: keys.filter { lookups[$0] == nil }) { [$0.collection, $0.column] }
        for (group, keys) in grouped.sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) {
            guard let collection = catalog.collection(named: group[0]) else { continue }
            var found = Dictionary(uniqueKeysWithValues: keys.map { ($0, [RecordID]()) })
            var seen = Set<RecordID>()
            let store = try stores.store(for: collection)
            let match = ColumnMatch(column: group[1], values: keys.map(\.value).sorted().map(Value.text))
            for try await record in store.records(in: collection, where: match) {
                // Another tenant's row (another controller's data) is nobody's for this catalog.
                guard collection.scope.allHold(for: record) else { continue }
                guard let value = record[group[1]]?.textValue else { continue }
                let key = LookupKey(collection: collection.name, column: group[1], value: value)
                guard found[key] != nil else { continue }
                let id = add(record, to: collection)
                // A record holds one value in the column, so it belongs to one key of the group.
                if seen.insert(id).inserted { found[key]!.append(id) }
            }
            lookups.merge(found) { _, new in new }
        }
    }

    /// Identifiers held in a collection's single key column whose row is already loaded (a
    /// customer id revealed by the customer's own row) need no query: the key names one row.
    /// Returns the identifiers still to look up.
    private func satisfyFromLoadedKeys(_ wanted: Set<SubjectIdentifier>, collection: DataCollection, column: String,
                                       type: IdentifierType) -> Set<SubjectIdentifier> {
        guard collection.key == [column], let declared = collection.identifiers.first(where: { $0.column == column }),
              declared.countryCode == nil, declared.extract == nil else {
            return wanted
        }
        var remaining = wanted
        for (id, record) in rows where id.collection == collection.name {
            guard let raw = record[column]?.textValue, let value = type.normalize(raw) else { continue }
            let identifier = SubjectIdentifier(type: type.name, normalizedValue: value)
            guard remaining.remove(identifier) != nil else { continue }
            identifierLookupsDone.insert(LookupKey(collection: collection.name, column: column, value: identifier.value))
            reaches[id, default: []].insert(.identifier(column: column, identifier))
        }
        return remaining
    }

    @discardableResult
    func add(_ record: Record, to collection: DataCollection) -> RecordID {
        let keyColumns = collection.key.isEmpty && collection.pattern != nil ? ["path"] : collection.key
        let id = RecordID(collection: collection.name, key: RecordKey(of: record, keyColumns: keyColumns))
        if rows[id] == nil { rows[id] = record.keeping(kept[collection.name] ?? nil) }
        return id
    }
}
