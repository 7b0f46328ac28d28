import Foundation

/// The subject's records a ``RequestScope`` selects, and the scope in plain facts.
public struct ScopeSelection: Sendable {
    /// The selected records and the records under them.
    public var records: Set<RecordID>
    public var statement: ScopeStatement
}

/// What a scope took, without personal data: per collection, how many records, the days they
/// fall on (by a `time:` column, theirs or that of the records they were taken with), and, for
/// records taken because they sit under a selected one, that one's collection. Stated by the
/// plan, the certificate and the package page.
public struct ScopeStatement: Sendable, Hashable, Codable {
    public struct Part: Sendable, Hashable, Codable {
        public var collection: String
        public var records: Int
        /// `YYYY-MM-DD`, sorted (empty when no `time:` column dates them).
        public var days: [String]
        /// The collection of the records these go with (a recording goes with its call); `nil`
        /// when they were selected themselves.
        public var of: String?
    }

    public var parts: [Part]

    /// `calls: 1 record (2026-03-15); recordings: 1 record of calls (2026-03-15)`
    public var summary: String {
        parts.map { part in
            "\(part.collection): \(part.records) record\(part.records == 1 ? "" : "s")"
                + (part.of.map { " of \($0)" } ?? "")
                + (part.days.isEmpty ? "" : " (\(part.days.joined(separator: ", ")))")
        }.joined(separator: "; ")
    }
}

extension RequestScope {
    /// The subject's records this scope selects in `result`, with the records under them.
    /// Throws ``DSARError/Code/invalidRequest`` when the scope is malformed, names a record that is
    /// not one of the subject's (never saying whether it exists), or selects nothing.
    public func select(in result: DiscoveryResult, catalog: Catalog) throws -> ScopeSelection {
        try validate(against: catalog)
        var named = Set<RecordID>()
        for record in records {
            guard let collection = catalog.collection(named: record.collection) else { continue }
            let values = try record.keyValues(in: collection)
            let matches = result.records.filter {
                $0.id.collection == collection.name && $0.id.key.values.map { $0.textValue ?? "" } == values
            }
            guard !matches.isEmpty else {
                throw DSARError(.invalidRequest, "a record given with --record is not one of the subject's records in '\(collection.name)'; nothing was touched",
                                location: "--record \(collection.name)")
            }
            named.formUnion(matches.map(\.id))
        }
        let catalogOrder = Dictionary(catalog.collections.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { a, _ in a })
        func day(_ id: RecordID, _ found: FoundRecord) -> CalendarDay? {
            catalog.collection(named: id.collection)?.time.flatMap { Self.day(of: found.record[$0] ?? .null) }
        }
        // Anchors: the records every --record / --between condition selects (all records without either).
        let anchors = result.records.filter { found in
            if !records.isEmpty, !named.contains(found.id) { return false }
            guard let between else { return true }
            return day(found.id, found).map(between.contains) ?? false
        }
        let index = RowIndex(result.records, catalog: catalog)
        let anchorIDs = Set(anchors.map(\.id))
        var anchorOf = Dictionary(uniqueKeysWithValues: anchorIDs.map { ($0, $0) })
        for (row, origin) in index.rowsUnder(anchorIDs.sorted(), catalog: catalog, takesHold: { !anchorIDs.contains($0) }) {
            anchorOf[row] = origin
        }
        // --only keeps the collections it names; the records under a kept record go with it.
        var taken = anchorOf
        if !collections.isEmpty {
            taken = anchorOf.filter { collections.contains($0.key.collection) }
            let kept = Set(taken.keys)
            for (row, origin) in index.rowsUnder(kept.sorted(), catalog: catalog, takesHold: { !kept.contains($0) }) {
                taken[row] = taken[origin]
            }
        }
        guard !taken.isEmpty else {
            throw DSARError(.invalidRequest, "the scope selects none of the subject's records; nothing was touched", location: "scope")
        }
        let byID = Dictionary(result.records.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        struct Group: Hashable { let collection: String; let of: String? }
        var groups: [Group: (count: Int, days: Set<String>)] = [:]
        for (id, anchor) in taken {
            let group = Group(collection: id.collection, of: anchor == id ? nil : anchor.collection)
            var entry = groups[group] ?? (0, [])
            entry.count += 1
            if let found = byID[anchor], let day = day(anchor, found) { entry.days.insert(day.description) }
            groups[group] = entry
        }
        let parts = groups.sorted { a, b in
            let (x, y) = (catalogOrder[a.key.collection] ?? 0, catalogOrder[b.key.collection] ?? 0)
            return x != y ? x < y : (a.key.of ?? "") < (b.key.of ?? "")
        }.map { ScopeStatement.Part(collection: $0.key.collection, records: $0.value.count, days: $0.value.days.sorted(), of: $0.key.of) }
        return ScopeSelection(records: Set(taken.keys), statement: ScopeStatement(parts: parts))
    }

    /// `result` with only the selected records, their files and their problems (for a package).
    public func narrow(_ result: DiscoveryResult, catalog: Catalog) throws -> (DiscoveryResult, ScopeStatement) {
        let selection = try select(in: result, catalog: catalog)
        var narrowed = result
        narrowed.records = result.records.filter { selection.records.contains($0.id) }
        narrowed.files = result.files.filter { selection.records.contains(RecordID(collection: $0.collection, key: $0.record)) }
        narrowed.problems = result.problems.filter { selection.records.contains($0.record) }
        return (narrowed, selection.statement)
    }

    /// The day a `time:` value falls on: the date a text starts with (`2026-03-15T10:00:00`,
    /// `2026-03-15 10:00`), or a number of seconds since 1970 in UTC.
    static func day(of value: Value) -> CalendarDay? {
        switch value {
        case .integer(let seconds): return CalendarDay(Date(timeIntervalSince1970: TimeInterval(seconds)))
        case .real(let seconds): return CalendarDay(Date(timeIntervalSince1970: seconds))
        case .text, .blob:
            guard let text = value.textValue?.trimmingWhitespace(), text.count >= 10 else { return nil }
            return CalendarDay(String(text.prefix(10)))
        case .null: return nil
        }
    }
}
