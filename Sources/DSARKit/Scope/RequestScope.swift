import Foundation

/// The part of a subject's data a request is about: some records (`--record calls:12`), the
/// records of some days (`--between 2026-03-15..2026-03-15`, on each collection's declared `time:`
/// column), some collections (`--only recordings`). The records `--record` and `--between` both
/// select (all of the subject's records without either) are taken with the records under them
/// (a call's recording goes with the call); `--only` then keeps the collections it names, each
/// kept record still with the records under it. So `--only recordings --between 2026-03-15..2026-03-15`
/// is the recordings of that day's calls, and a recording selected alone takes nothing else.
///
/// Discovery always runs in full: a scope only chooses which of the subject's records a package
/// or an erasure plan takes, so a scoped erasure never touches another person's record and
/// never leaves a recording without its row. A scope that selects nothing, or a `--record` that
/// is not one of the subject's records, is refused (without saying whether that record exists).
public struct RequestScope: Sendable, Hashable, Codable {
    /// Only records of these collections (empty: any collection).
    public var collections: [String]
    /// Only these records (empty: any record).
    public var records: [ScopedRecord]
    /// Only records whose `time:` column falls on one of these days.
    public var between: DayRange?

    public init(collections: [String] = [], records: [ScopedRecord] = [], between: DayRange? = nil) {
        self.collections = collections
        self.records = records
        self.between = between
    }

    /// Whether it selects anything less than everything.
    public var isEmpty: Bool { collections.isEmpty && records.isEmpty && between == nil }

    /// The scope as the flags that give it: `--only recordings --record calls:12 --between 2026-03-15..2026-03-15`.
    public var flags: String {
        var parts: [String] = []
        if !collections.isEmpty { parts.append("--only \(collections.joined(separator: ","))") }
        parts += records.map { "--record \($0)" }
        if let between { parts.append("--between \(between)") }
        return parts.joined(separator: " ")
    }

    /// For the audit log: collections, days and how many records, never a record's key (a key
    /// can be personal).
    public var auditSummary: String {
        var parts: [String] = []
        if !collections.isEmpty { parts.append("only \(collections.joined(separator: ", "))") }
        if !records.isEmpty { parts.append("\(records.count) record\(records.count == 1 ? "" : "s") named") }
        if let between { parts.append("between \(between)") }
        return parts.joined(separator: "; ")
    }

    /// Checks the scope against the catalog before anything is read: every collection exists,
    /// every record key fits its collection's key, `between` has a collection with a `time:`
    /// column to apply to. Throws ``DSARError/Code/invalidRequest`` naming the flag.
    public func validate(against catalog: Catalog) throws {
        for name in collections where catalog.collection(named: name) == nil {
            throw DSARError(.invalidRequest, "--only names collection '\(name)', which the catalog does not declare; nothing was touched",
                            location: "--only")
        }
        for record in records {
            guard let collection = catalog.collection(named: record.collection) else {
                throw DSARError(.invalidRequest, "--record names collection '\(record.collection)', which the catalog does not declare; nothing was touched",
                                location: "--record")
            }
            _ = try record.keyValues(in: collection)
        }
        if between != nil, !catalog.collections.contains(where: { $0.time != nil }) {
            throw DSARError(.invalidRequest, "--between needs a collection with a 'time:' column (such as calls: { time: started_at }); nothing was touched",
                            location: "--between")
        }
    }
}

/// One record named in a scope: collection and key, as written after `--record`
/// (`calls:12`, or `calls:id=12`, `orders:shop=2,number=7` for a composite key).
public struct ScopedRecord: Sendable, Hashable, Codable, CustomStringConvertible {
    public var collection: String
    public var key: String

    public init(collection: String, key: String) {
        self.collection = collection
        self.key = key
    }

    /// Parses `COLLECTION:KEY`.
    public init(parsing text: String) throws {
        guard let colon = text.firstIndex(of: ":") else {
            throw DSARError(.invalidRequest, "--record takes COLLECTION:KEY (such as calls:12); nothing was touched", location: "--record")
        }
        let collection = String(text[..<colon]).trimmingWhitespace()
        let key = String(text[text.index(after: colon)...]).trimmingWhitespace()
        guard !collection.isEmpty, !key.isEmpty else {
            throw DSARError(.invalidRequest, "--record takes COLLECTION:KEY (such as calls:12), with both parts; nothing was touched",
                            location: "--record")
        }
        self.init(collection: collection, key: key)
    }

    public var description: String { "\(collection):\(key)" }

    /// The key's values in the order of the collection's key columns. A single-column key may be
    /// given bare (`12`); otherwise `column=value` for every key column, in any order.
    func keyValues(in collection: DataCollection) throws -> [String] {
        let place = "--record \(collection.name)"
        guard !collection.key.isEmpty else {
            throw DSARError(.invalidRequest, "collection '\(collection.name)' has no key, so its records cannot be named; use --only; nothing was touched",
                            location: place)
        }
        let usage = "write " + (collection.key.count == 1 ? "\(collection.name):VALUE or " : "")
            + "\(collection.name):" + collection.key.map { "\($0)=VALUE" }.joined(separator: ",")
        let parts = key.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        if collection.key.count == 1, parts.count == 1, !key.contains("=") { return [key] }
        var values: [String: String] = [:]
        for part in parts {
            guard let equals = part.firstIndex(of: "=") else {
                throw DSARError(.invalidRequest, "the key after --record is malformed: \(usage); nothing was touched", location: place)
            }
            let column = String(part[..<equals]).trimmingWhitespace()
            let value = String(part[part.index(after: equals)...]).trimmingWhitespace()
            guard collection.key.contains(column), values[column] == nil, !value.isEmpty else {
                throw DSARError(.invalidRequest, "the key after --record is malformed: \(usage); nothing was touched", location: place)
            }
            values[column] = value
        }
        guard values.count == collection.key.count else {
            throw DSARError(.invalidRequest, "the key after --record is malformed: \(usage); nothing was touched", location: place)
        }
        return collection.key.map { values[$0]! }
    }
}

/// Days from `from` to `to`, both included: `2026-03-01..2026-03-15` (one day: `2026-03-15..2026-03-15`
/// or just `2026-03-15`).
public struct DayRange: Sendable, Hashable, Codable, CustomStringConvertible {
    public var from: CalendarDay
    public var to: CalendarDay

    public init(from: CalendarDay, to: CalendarDay) throws {
        guard from <= to else {
            throw DSARError(.invalidRequest, "--between \(from)..\(to) is an empty range: the first day comes after the last; nothing was touched",
                            location: "--between")
        }
        self.from = from
        self.to = to
    }

    /// Parses `DAY..DAY` or `DAY` (`YYYY-MM-DD`).
    public init(parsing text: String) throws {
        let parts = text.components(separatedBy: "..")
        let usage = "--between takes DAY..DAY (such as 2026-03-01..2026-03-15); nothing was touched"
        guard (1...2).contains(parts.count), let from = CalendarDay(parts[0]), let to = CalendarDay(parts[parts.count - 1]) else {
            throw DSARError(.invalidRequest, usage, location: "--between")
        }
        try self.init(from: from, to: to)
    }

    public func contains(_ day: CalendarDay) -> Bool { from <= day && day <= to }

    public var description: String { from == to ? from.description : "\(from)..\(to)" }
}
