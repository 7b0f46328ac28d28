import Foundation
import Logging

/// The rows a retention sweep works on, gathered as a discovery would be, so the erasure
/// planner decides them exactly as it decides a subject's: the rows past their `keep:` rule
/// (one set query per collection), the rows under them (a call's recordings), and, left alone,
/// the rows above them (a call's customer), whose holds still reach down.
struct RetentionGathering {
    let catalog: Catalog
    let stores: StoreSet
    let logger: Logger

    /// What was gathered: a discovery-shaped result naming no subject, and the rows it selects.
    struct Gathered {
        var result: DiscoveryResult
        /// The rows past their rule and the rows under them.
        var selected: Set<RecordID>
        /// Per collection, how many rows were past their rule.
        var pastRule: [String: Int]
    }

    /// The collections with a `keep:` rule (only those `only` names, when it names any) and
    /// their cutoffs at `date`. Refuses an unknown collection, one without a rule, or a catalog
    /// without any rule, naming the place; nothing is read.
    func statement(only: [String], at date: Date) throws -> RetentionStatement {
        for name in only {
            guard let collection = catalog.collection(named: name) else {
                throw DSARError(.invalidRequest, "--only names collection '\(name)', which the catalog does not declare; nothing was touched",
                                location: "--only")
            }
            guard collection.keep != nil else {
                throw DSARError(.invalidRequest, "--only names collection '\(name)', which has no keep rule; nothing was touched",
                                location: "--only")
            }
        }
        let ruled = catalog.collections.filter { $0.keep != nil && (only.isEmpty || only.contains($0.name)) }
        guard !ruled.isEmpty else {
            throw DSARError(.invalidCatalog, "no collection has a keep rule, so a sweep has nothing to apply",
                            location: catalog.sourceName ?? "catalog")
        }
        return RetentionStatement(parts: ruled.compactMap { collection in
            guard let keep = collection.keep else { return nil }
            return .init(collection: collection.name, rule: keep.description, cutoff: keep.cutoff(at: date).description, pastRule: 0)
        })
    }

    /// Reads the rows past each part's cutoff, then the rows under and above them.
    func gather(_ statement: RetentionStatement) async throws -> Gathered {
        var rows: [RecordID: FoundRecord] = [:]
        var pastRule: [String: Int] = [:]
        var frontier: [RecordID] = []
        for part in statement.parts {
            guard let collection = catalog.collection(named: part.collection), let keep = collection.keep,
                  let cutoff = CalendarDay(part.cutoff) else {
                throw DSARError(.invalidCatalog, "collection '\(part.collection)' no longer has a keep rule; nothing was changed",
                                location: "collections.\(part.collection)")
            }
            try await check(collection)
            guard let store = try stores.store(for: collection) as? any DatedStore else {
                throw DSARError(.unsupported, "store '\(collection.store)' cannot find rows by date, so collection '\(collection.name)' cannot be swept",
                                location: collection.store)
            }
            for try await record in store.records(in: collection, datedBefore: cutoff, column: keep.column)
            where collection.scope.allHold(for: record) {
                let id = RecordID(collection: collection.name, key: RecordKey(of: record, keyColumns: collection.key))
                guard rows[id] == nil else { continue }
                rows[id] = FoundRecord(id: id, record: record, role: .owned, provenance: [])
                pastRule[collection.name, default: 0] += 1
                frontier.append(id)
            }
        }
        try await addChildren(of: frontier, to: &rows)
        let selected = Set(rows.keys)
        try await addParents(of: Array(selected), to: &rows)
        let order = Dictionary(catalog.collections.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { a, _ in a })
        let records = rows.values.sorted { a, b in
            let (x, y) = (order[a.id.collection] ?? 0, order[b.id.collection] ?? 0)
            return x != y ? x < y : a.id < b.id
        }
        let (files, problems) = try await DiscoveryRun(catalog: catalog, stores: stores, logger: logger, seeds: [])
            .files(of: records.filter { selected.contains($0.id) })
        let result = DiscoveryResult(subject: DataSubject(identifiers: []), identifiers: [], records: records, files: files,
                                     conflicts: [], ambiguous: [], problems: problems)
        return Gathered(result: result, selected: selected, pastRule: pastRule)
    }

    /// Refuses a rule its table cannot answer (a missing column, one that holds no dates).
    private func check(_ collection: DataCollection) async throws {
        let inspection = try await stores.store(for: collection).inspect(collection)
        guard inspection.exists else {
            throw DSARError(.invalidCatalog, "the table of collection '\(collection.name)' does not exist; nothing was changed",
                            location: "\(collection.store)/\(collection.table ?? collection.name)")
        }
        if let problem = RetentionRuleCheck.problems(collection, inspection, catalog: catalog).first {
            throw DSARError(.invalidCatalog, problem.message + "; nothing was changed", location: problem.place)
        }
    }

    /// Adds, level by level, the rows that sit under `parents` (through references that put a
    /// row under another, as holds and discovery follow them): they follow their parent's fate.
    private func addChildren(of parents: [RecordID], to rows: inout [RecordID: FoundRecord]) async throws {
        var frontier = parents
        while !frontier.isEmpty {
            var next: [RecordID] = []
            for (name, ids) in Dictionary(grouping: frontier, by: \.collection) {
                for (child, reference) in catalog.children(of: name) {
                    let values = Set(ids.compactMap { rows[$0]?.record[reference.targetColumn]?.textValue })
                    guard !values.isEmpty else { continue }
                    let keyColumns = child.key.isEmpty && child.pattern != nil ? ["path"] : child.key
                    let match = ColumnMatch(column: reference.column, values: values.sorted().map(Value.text))
                    for try await row in try stores.store(for: child).records(in: child, where: match) {
                        guard child.scope.allHold(for: row), reference.applies(to: row),
                              catalog.isOwnership(reference, of: child, for: row),
                              let value = row[reference.column]?.textValue, values.contains(value) else { continue }
                        let id = RecordID(collection: child.name, key: RecordKey(of: row, keyColumns: keyColumns))
                        guard rows[id] == nil else { continue }
                        rows[id] = FoundRecord(id: id, record: row, role: .owned, provenance: [])
                        next.append(id)
                    }
                }
            }
            frontier = next
        }
    }

    /// Adds the rows `children` sit under, and theirs, up to the top: never changed by the
    /// sweep, they are there so that a hold on them reaches the rows below.
    private func addParents(of children: [RecordID], to rows: inout [RecordID: FoundRecord]) async throws {
        var frontier = children
        while !frontier.isEmpty {
            var next: [RecordID] = []
            for (name, ids) in Dictionary(grouping: frontier, by: \.collection) {
                guard let collection = catalog.collection(named: name) else { continue }
                for reference in collection.references {
                    guard let parent = catalog.collection(named: reference.targetCollection), parent.pattern == nil else { continue }
                    let values = Set(ids.compactMap { id -> String? in
                        guard let record = rows[id]?.record, reference.applies(to: record),
                              catalog.isOwnership(reference, of: collection, for: record) else { return nil }
                        return record[reference.column]?.textValue
                    })
                    guard !values.isEmpty else { continue }
                    let match = ColumnMatch(column: reference.targetColumn, values: values.sorted().map(Value.text))
                    for try await row in try stores.store(for: parent).records(in: parent, where: match) where parent.scope.allHold(for: row) {
                        let id = RecordID(collection: parent.name, key: RecordKey(of: row, keyColumns: parent.key))
                        guard rows[id] == nil else { continue }
                        rows[id] = FoundRecord(id: id, record: row, role: .referenced, provenance: [])
                        next.append(id)
                    }
                }
            }
            frontier = next
        }
    }
}

extension ErasurePlan {
    /// A sweep's plan as it reports: rows above the swept ones (left alone, there for their
    /// holds) are not listed, nor rows whose masks were already in place before this run (a
    /// second sweep plans nothing); `masked` keeps those this run masked (`alreadyMasked`).
    func sweepPlan(_ statement: RetentionStatement, alreadyMasked: Set<RecordID>) -> ErasurePlan {
        var plan = self
        plan.retention = statement
        var changing: [String: Set<String>] = [:]
        for step in steps {
            guard case .changeRows(let changes) = step.action else { continue }
            for update in changes.updates {
                changing[step.collection, default: []].insert(RecordKey(columns: changes.keyColumns, values: update.key).description)
            }
        }
        let masked = Dictionary(grouping: alreadyMasked, by: \.collection).mapValues { Set($0.map(\.key.description)) }
        plan.collections = collections.compactMap { summary in
            var summary = summary
            summary.outOfScope = []
            summary.masked = summary.masked.filter { changing[summary.collection]?.contains($0) == true || masked[summary.collection]?.contains($0) == true }
            if summary.masked.isEmpty { summary.masks = [:] }
            return summary.isEmpty ? nil : summary
        }
        return plan
    }
}

extension RetentionGathering {
    /// After a sweep: the rows its rules, read again with its cutoffs, still find that the plan
    /// did not keep (held, kept, shared, retained) and that are not masked. Named by collection
    /// and key (or digest).
    func residue(of plan: ErasurePlan, _ statement: RetentionStatement) async throws -> [String] {
        let gathered = try await gather(statement)
        var residue: [String] = []
        for found in gathered.result.records where gathered.selected.contains(found.id) {
            guard let collection = catalog.collection(named: found.id.collection) else { continue }
            let key = found.id.key.description
            if let summary = plan.collection(collection.name),
               (summary.held.map(\.key) + summary.kept.map(\.key) + summary.shared + summary.retained + summary.blocked).contains(key) {
                continue
            }
            switch collection.erase {
            case .retain: continue
            case .mask(let masks) where masks.allSatisfy({ MaskingKey.isMasked(found.record[$0.column] ?? .null, $0.strategy) }): continue
            default: residue.append("\(found.id.safeName(in: catalog)) (past its rule, found again)")
            }
        }
        return residue
    }
}
