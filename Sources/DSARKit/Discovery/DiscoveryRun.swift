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
    /// Loaded rows of collections with a single key column, by that column's text: a lookup
    /// by such a key names one row, already here.
    var loadedKeys: [String: [String: RecordID]] = [:]
    /// What the stores answered to the lookups the current round was expected to make
    /// (``prefetch(for:)``).
    var answers = RoundAnswers()

    init(catalog: Catalog, stores: StoreSet, logger: Logger, seeds: [SubjectIdentifier]) {
        self.catalog = catalog
        self.stores = stores
        self.logger = logger
        self.seeds = seeds
    }

    func execute() async throws -> DiscoveryResult {
        for round in 1...200 {
            let outcome = classify()
            try await prefetch(for: outcome)
            defer { answers = RoundAnswers() }
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
                guard let lookup = identifierLookup(collection, column, known: known) else { continue }
                worked = true
                for (id, identifier) in lookup.satisfied {
                    identifierLookupsDone.insert(LookupKey(collection: collection.name, column: column.column, value: identifier.value))
                    reaches[id, default: []].insert(.identifier(column: column.column, identifier))
                }
                guard let match = lookup.match else { continue }
                for identifier in lookup.remaining {
                    identifierLookupsDone.insert(LookupKey(collection: collection.name, column: column.column, value: identifier.value))
                }
                for record in try await records(in: collection, where: match) {
                    guard collection.scope.allHold(for: record),
                          let raw = column.rawValue(in: record), let normalized = lookup.type.normalize(raw) else { continue }
                    let identifier = SubjectIdentifier(type: column.type, normalizedValue: normalized)
                    guard lookup.wanted.contains(identifier) else { continue }
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
        let (wanted, parents) = childLookups(of: fresh)
        // A parent is the only row with its key: its children's evidence needs no lookup.
        for (key, id) in parents { lookups[key] = [id] }
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
        let wanted = parentLookups(of: fresh)
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
            let keys = keys.filter { key in
                // A row already loaded is never fetched again.
                guard collection.key == [group[1]], let id = loadedKeys[collection.name]?[key.value] else { return true }
                lookups[key] = [id]
                return false
            }
            guard !keys.isEmpty else { continue }
            var found = Dictionary(uniqueKeysWithValues: keys.map { ($0, [RecordID]()) })
            var seen = Set<RecordID>()
            for record in try await records(in: collection, column: group[1], values: Set(keys.map(\.value))) {
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
    /// Returns the identifiers still to look up, and the loaded rows that hold the others.
    func satisfyFromLoadedKeys(_ wanted: Set<SubjectIdentifier>, collection: DataCollection, column: String,
                               type: IdentifierType) -> (remaining: Set<SubjectIdentifier>, satisfied: [(RecordID, SubjectIdentifier)]) {
        guard collection.key == [column], let declared = collection.identifiers.first(where: { $0.column == column }),
              declared.countryCode == nil, declared.extract == nil else {
            return (wanted, [])
        }
        var remaining = wanted
        var satisfied: [(RecordID, SubjectIdentifier)] = []
        for (id, record) in rows where id.collection == collection.name {
            guard let raw = record[column]?.textValue, let value = type.normalize(raw) else { continue }
            let identifier = SubjectIdentifier(type: type.name, normalizedValue: value)
            guard remaining.remove(identifier) != nil else { continue }
            satisfied.append((id, identifier))
        }
        return (remaining, satisfied)
    }

    @discardableResult
    func add(_ record: Record, to collection: DataCollection) -> RecordID {
        let keyColumns = collection.key.isEmpty && collection.pattern != nil ? ["path"] : collection.key
        let id = RecordID(collection: collection.name, key: RecordKey(of: record, keyColumns: keyColumns))
        if rows[id] == nil {
            rows[id] = record.keeping(kept[collection.name] ?? nil)
            if collection.key.count == 1, let value = record[collection.key[0]]?.textValue {
                loadedKeys[collection.name, default: [:]][value] = id
            }
        }
        return id
    }
}
