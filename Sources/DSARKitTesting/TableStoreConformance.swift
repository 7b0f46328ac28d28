import DSARKit
import Foundation

/// The behaviour every table store must show, whoever wrote it.
///
/// Create the ``fixture`` table in your store inside `makeStore`, then run the suite:
///
/// ```swift
/// let failures = await TableStoreConformance { fixture in try makeMyStore(with: fixture) }.run()
/// #expect(failures.isEmpty, "\(failures)")
/// ```
public struct TableStoreConformance: Sendable {
    /// The table every store under test must hold: `people(id INTEGER PRIMARY KEY, email TEXT,
    /// phone TEXT, note TEXT)` with hostile values (quotes, `%`, `_`, SQL, NUL, 10 kB).
    public struct Fixture: Sendable {
        public let table = "people"
        public let columns = ["id", "email", "phone", "note"]
        public let rows: [[Value]]

        /// The rows as a store that cannot hold NUL in text keeps them: NUL removed.
        public func rows(storesNUL: Bool) -> [[Value]] {
            guard !storesNUL else { return rows }
            return rows.map { row in
                row.map { value in
                    if case .text(let text) = value { .text(text.replacingOccurrences(of: "\u{0}", with: "")) } else { value }
                }
            }
        }
    }

    public static let fixture = Fixture(rows: [
        [.integer(1), .text(" Amel.BenAli@Example.TN "), .text("+21698123456"), .text("first")],
        [.integer(2), .text("o'brien@example.ie"), .text("06 12 34 56 78"), .text("quote")],
        [.integer(3), .text("100%@example.com"), .null, .text("percent")],
        [.integer(4), .text("'; DROP TABLE people; --"), .text("x"), .text("sql")],
        [.integer(5), .text("nul\u{0}byte@example.com"), .text("y"), .text("nul")],
        [.integer(6), .text(String(repeating: "a", count: 10_000)), .text("z"), .text("huge")],
        [.integer(7), .text("under_score@example.com"), .null, .text("underscore")],
        [.integer(8), .text("underXscore@example.com"), .null, .text("lookalike")],
        [.integer(9), .null, .text("+21698123456"), .text("no email")],
    ])

    /// The collection the suite looks up.
    public static let collection = DataCollection(name: "people", store: "store", table: "people", key: ["id"])

    private let makeStore: @Sendable (Fixture) async throws -> any DataStore
    private let storesNUL: Bool

    /// - Parameter storesNUL: whether the store's text can hold a NUL character. PostgreSQL's
    ///   cannot: its harness stores row 5 without the NUL (`Fixture.rows(storesNUL: false)`), and
    ///   a value with a NUL must then match nothing.
    public init(storesNUL: Bool = true, makeStore: @escaping @Sendable (Fixture) async throws -> any DataStore) {
        self.storesNUL = storesNUL
        self.makeStore = makeStore
    }

    /// Runs every check; an empty array means the store conforms.
    public func run() async -> [ConformanceFailure] {
        var log = ConformanceLog()
        let store: any DataStore
        do {
            store = try await makeStore(Self.fixture)
        } catch {
            log.record(error, "make store")
            return log.failures
        }
        let exact: [(String, [Value], Set<Int64>)] = [
            ("text value", [.text("o'brien@example.ie")], [2]),
            ("percent is not a wildcard", [.text("%")], []),
            ("value with percent", [.text("100%@example.com")], [3]),
            ("underscore is not a wildcard", [.text("under_score@example.com")], [7]),
            ("SQL in a value is data", [.text("'; DROP TABLE people; --")], [4]),
            ("NUL inside a value", [.text("nul\u{0}byte@example.com")], storesNUL ? [5] : []),
            ("prefix before NUL does not match", [.text("nul")], []),
            ("10 kB value", [.text(String(repeating: "a", count: 10_000))], [6]),
            ("NULL never matches", [.null], []),
            ("unknown value", [.text("nobody@example.com")], []),
            ("several values", [.text("o'brien@example.ie"), .text("100%@example.com"), .text("nobody")], [2, 3]),
            ("exact comparison keeps case and spaces", [.text("amel.benali@example.tn")], []),
            ("many values are batched", (0..<1_500).map { .text("v\($0)@example.com") } + [.text("o'brien@example.ie")], [2]),
        ]
        for (check, values, expected) in exact {
            await expectIDs(store, ColumnMatch(column: "email", values: values), expected, check, &log)
        }
        await expectIDs(store, ColumnMatch(column: "id", values: [.text("3")]), [3], "integer column matched by text", &log)
        await expectIDs(store, ColumnMatch(column: "id", values: [.integer(4)]), [4], "integer column matched by integer", &log)
        await expectIDs(store, ColumnMatch(column: "phone", values: [.text("+21698123456")]), [1, 9], "several rows match", &log)
        await expectIDs(store, ColumnMatch(column: "email", values: [.text("amel.benali@example.tn")], comparison: .caseInsensitive),
                        [1], "case-insensitive comparison trims and folds case", &log)
        await expectIDs(store, ColumnMatch(column: "id", values: (1...9).map { .integer($0) }), Set(1...9),
                        "the table is intact after hostile values", &log)
        var together = exact.map { ($0.0, ColumnMatch(column: "email", values: $0.1), $0.2) }
        together.append(("case-insensitive", ColumnMatch(column: "email", values: [.text("amel.benali@example.tn")], comparison: .caseInsensitive), [1]))
        together.append(("integer column", ColumnMatch(column: "id", values: [.text("3"), .integer(4)]), [3, 4]))
        await checkLookupsTogether(store, together, &log)
        await checkRecordContents(store, &log)
        await checkInspection(store, &log)
        return log.failures
    }

    private func expectIDs(_ store: any DataStore, _ match: ColumnMatch, _ expected: Set<Int64>, _ check: String,
                           _ log: inout ConformanceLog) async {
        do {
            let records = try await store.allRecords(in: Self.collection, where: match)
            let ids = records.compactMap { record -> Int64? in
                if case .integer(let id)? = record["id"] { return id } else { return nil }
            }
            log.expect(Set(ids) == expected, check, "expected ids \(expected.sorted()), got \(ids.sorted())")
            log.expect(ids.count == Set(ids).count, check, "a record was returned twice")
        } catch {
            log.record(error, check)
        }
    }

    /// Lookups sent together (``DataStore/records(matching:)``) answer each as it would alone.
    private func checkLookupsTogether(_ store: any DataStore, _ lookups: [(String, ColumnMatch, Set<Int64>)],
                                      _ log: inout ConformanceLog) async {
        let check = "lookups sent together"
        do {
            let results = try await store.records(matching: lookups.map { StoreLookup(collection: Self.collection, match: $0.1) })
            log.expect(results.count == lookups.count, check, "expected \(lookups.count) answers, got \(results.count)")
            for ((name, _, expected), records) in zip(lookups, results) {
                let ids = records.compactMap { record -> Int64? in
                    if case .integer(let id)? = record["id"] { return id } else { return nil }
                }
                log.expect(Set(ids) == expected && ids.count == Set(ids).count, check,
                           "\(name): expected ids \(expected.sorted()), got \(ids.sorted())")
            }
        } catch {
            log.record(error, check)
        }
    }

    private func checkRecordContents(_ store: any DataStore, _ log: inout ConformanceLog) async {
        let check = "a record carries every column with its value"
        do {
            let records = try await store.allRecords(in: Self.collection, where: ColumnMatch(column: "id", values: [.integer(2)]))
            let record = records.first
            log.expect(records.count == 1, check, "expected one record, got \(records.count)")
            log.expect(Set(record?.columns ?? []) == Set(Self.fixture.columns), check, "columns \(record?.columns ?? [])")
            log.expect(record?["note"] == .text("quote") && record?["phone"] == .text("06 12 34 56 78"), check,
                       "values differ from the fixture")
            let empty = try await store.allRecords(in: Self.collection, where: ColumnMatch(column: "id", values: [.integer(3)]))
            log.expect(empty.first?["phone"] == .null, check, "NULL must come back as .null")
        } catch {
            log.record(error, check)
        }
    }

    private func checkInspection(_ store: any DataStore, _ log: inout ConformanceLog) async {
        let check = "inspect describes tables"
        do {
            let inspection = try await store.inspect(Self.collection)
            log.expect(inspection.exists, check, "the fixture table is reported missing")
            log.expect(Set(Self.fixture.columns).isSubset(of: Set(inspection.columns)), check, "columns \(inspection.columns)")
            var missing = Self.collection
            missing.table = "no_such_table"
            log.expect(try await !store.inspect(missing).exists, check, "a missing table is reported as existing")
        } catch {
            log.record(error, check)
        }
    }
}
