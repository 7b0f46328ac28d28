/// What the stores answered to the lookups of one discovery round, fetched before the round
/// runs: every store gets the round's lookups in one call (``DataStore/records(matching:)``).
struct RoundAnswers {
    struct IdentifierQuery: Hashable {
        let collection: String
        let match: ColumnMatch
    }

    /// Rows of a collection by the exact values of a column: the values asked, the rows found.
    struct Load {
        let values: Set<String>
        let records: [Record]
    }

    var identifiers: [IdentifierQuery: [Record]] = [:]
    /// By collection and column.
    var loads: [[String]: Load] = [:]
}

/// How one identifier column of a collection is looked up by the identifiers known so far.
struct IdentifierLookupPlan {
    let type: IdentifierType
    let wanted: Set<SubjectIdentifier>
    /// Held in a loaded row's single key column: no query.
    let satisfied: [(RecordID, SubjectIdentifier)]
    let remaining: Set<SubjectIdentifier>
    /// The query for `remaining`; `nil` when nothing remains.
    let match: ColumnMatch?
}

extension DiscoveryRun {
    /// Asks every store, in one call each, for what this round's lookups will need: the
    /// identifier lookups, the missing parents, the children of newly owned records and the
    /// parents of newly included ones, as the round's steps will ask for them. The steps then
    /// take their rows from ``answers``; a lookup the steps make differently (a spelling
    /// observed earlier in the same round) still goes to its store, so the result is the one
    /// the steps would find alone.
    func prefetch(for outcome: ClassificationOutcome) async throws {
        var queries: [String: [(StoreLookup, RoundAnswers.IdentifierQuery?)]] = [:]
        let known = Set(outcome.known.keys)
        for collection in catalog.collections {
            for column in collection.identifiers {
                guard let match = identifierLookup(collection, column, known: known)?.match else { continue }
                queries[collection.store, default: []].append(
                    (StoreLookup(collection: collection, match: match), RoundAnswers.IdentifierQuery(collection: collection.name, match: match)))
            }
        }
        var keys = outcome.missing
        let (children, parentKeys) = childLookups(of: outcome.owned.union(outcome.ambiguous).subtracting(childrenExpanded).sorted())
        keys.formUnion(children.keys)
        keys.formUnion(parentLookups(of: outcome.included.subtracting(parentsExpanded).sorted()).keys)
        keys = keys.filter { lookups[$0] == nil && parentKeys[$0] == nil }
        for (group, keys) in Dictionary(grouping: keys, by: { [$0.collection, $0.column] }).sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) {
            guard let collection = catalog.collection(named: group[0]) else { continue }
            let values = keys.filter { collection.key != [group[1]] || loadedKeys[collection.name]?[$0.value] == nil }.map(\.value)
            guard !values.isEmpty else { continue }
            let match = ColumnMatch(column: group[1], values: values.sorted().map(Value.text))
            queries[collection.store, default: []].append((StoreLookup(collection: collection, match: match), nil))
        }
        answers = RoundAnswers()
        for (storeName, batch) in queries.sorted(by: { $0.key < $1.key }) {
            guard let store = stores[storeName] else { continue }  // reported by the step that needs it
            let results = try await store.records(matching: batch.map(\.0))
            for ((lookup, identifierQuery), records) in zip(batch, results) {
                if let identifierQuery {
                    answers.identifiers[identifierQuery] = records
                } else {
                    let values = Set(lookup.match.values.compactMap(\.textValue))
                    answers.loads[[lookup.collection.name, lookup.match.column]] = RoundAnswers.Load(values: values, records: records)
                }
            }
        }
    }

    /// The records an identifier lookup finds: from this round's answers, or from the store.
    func records(in collection: DataCollection, where match: ColumnMatch) async throws -> [Record] {
        if let records = answers.identifiers.removeValue(forKey: RoundAnswers.IdentifierQuery(collection: collection.name, match: match)) {
            return records
        }
        return try await stores.store(for: collection).allRecords(in: collection, where: match)
    }

    /// Rows whose `column` holds one of `values` exactly (and maybe others, which the caller
    /// skips): from this round's answers when they asked for all of them, or from the store.
    func records(in collection: DataCollection, column: String, values: Set<String>) async throws -> [Record] {
        if let load = answers.loads[[collection.name, column]], load.values.isSuperset(of: values) { return load.records }
        let match = ColumnMatch(column: column, values: values.sorted().map(Value.text))
        return try await stores.store(for: collection).allRecords(in: collection, where: match)
    }

    /// How `column` of `collection` is looked up by the `known` identifiers not yet looked up
    /// there; `nil` when there are none. Changes nothing.
    func identifierLookup(_ collection: DataCollection, _ column: IdentifierColumn, known: Set<SubjectIdentifier>) -> IdentifierLookupPlan? {
        guard let type = catalog.identifierType(named: column.type) else { return nil }
        let wanted = known.filter {
            $0.type == column.type && !identifierLookupsDone.contains(LookupKey(collection: collection.name, column: column.column, value: $0.value))
        }
        guard !wanted.isEmpty else { return nil }
        let (remaining, satisfied) = satisfyFromLoadedKeys(wanted, collection: collection, column: column.column, type: type)
        guard !remaining.isEmpty else {
            return IdentifierLookupPlan(type: type, wanted: wanted, satisfied: satisfied, remaining: remaining, match: nil)
        }
        var spellings = Set<String>()
        for identifier in remaining {
            spellings.formUnion(type.spellings(of: identifier.value, national: column.countryCode != nil))
            spellings.formUnion(observedSpellings[identifier] ?? [])
        }
        let comparison: ColumnMatch.Comparison = column.extract != nil ? .containing : type.kind == .email ? .caseInsensitive : .exact
        let values = comparison == .containing ? Set(spellings.map { $0.asciiLowercased() }) : spellings
        let match = ColumnMatch(column: column.storedColumn, values: values.sorted().map(Value.text), comparison: comparison,
                                jsonPath: column.jsonPath)
        return IdentifierLookupPlan(type: type, wanted: wanted, satisfied: satisfied, remaining: remaining, match: match)
    }

    /// The lookups that find the rows under `parents` (by each ownership reference), and the
    /// parents' own keys, which name them alone.
    func childLookups(of parents: [RecordID]) -> (wanted: [LookupKey: [(RecordID, Reference)]], parents: [LookupKey: RecordID]) {
        var wanted: [LookupKey: [(RecordID, Reference)]] = [:]
        var keys: [LookupKey: RecordID] = [:]
        for id in parents {
            guard let record = rows[id] else { continue }
            let keyColumns = catalog.collection(named: id.collection)?.key ?? []
            for (child, reference) in catalog.ownedChildren(of: id.collection) {
                guard let value = record[reference.targetColumn]?.textValue else { continue }
                if keyColumns == [reference.targetColumn] {
                    keys[LookupKey(collection: id.collection, column: reference.targetColumn, value: value)] = id
                }
                wanted[LookupKey(collection: child.name, column: reference.column, value: value), default: []].append((id, reference))
            }
        }
        return (wanted, keys)
    }

    /// The lookups that find the rows `children` reference.
    func parentLookups(of children: [RecordID]) -> [LookupKey: [(RecordID, String)]] {
        var wanted: [LookupKey: [(RecordID, String)]] = [:]
        for id in children {
            guard let record = rows[id], let collection = catalog.collection(named: id.collection) else { continue }
            for reference in collection.references where reference.applies(to: record) {
                guard let value = record[reference.column]?.textValue else { continue }
                wanted[LookupKey(collection: reference.targetCollection, column: reference.targetColumn, value: value), default: []]
                    .append((id, reference.column))
            }
        }
        return wanted
    }
}
