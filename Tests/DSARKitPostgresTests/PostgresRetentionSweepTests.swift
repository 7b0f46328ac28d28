import DSARKit
import DSARKitPostgres
import DSARKitTesting
import Foundation
import Logging
import PostgresNIO
import Testing

@Suite("PostgreSQL retention sweep")
struct PostgresRetentionSweepTests {
    /// Rows on either side of the cutoff 2026-04-01 in every kind of time column, written in
    /// the database's own types.
    static let schemaSQL = """
        CREATE TABLE %@.calls (id bigint PRIMARY KEY, d date, ts timestamp, tstz timestamptz, txt text, secs bigint, flag boolean, note text);
        CREATE TABLE %@.recordings (id bigint PRIMARY KEY, call_id bigint REFERENCES %@.calls(id), hold_until date);
        INSERT INTO %@.calls VALUES
          (1, '2026-03-31', '2026-03-31 23:59:59', '2026-03-31 23:59:59+00', '2026-03-31T23:59:59Z', 1775001599, true, 'old'),
          (2, '2026-04-01', '2026-04-01 00:00:00', '2026-04-01 00:00:00+00', '2026-04-01 00:00', 1775001600, true, 'at the cutoff'),
          (3, '2025-01-01', '2025-01-01 10:00:00', '2026-04-01 01:00:00+02', 'not a date', 0, false, 'mixed'),
          (4, NULL, NULL, NULL, NULL, NULL, NULL, 'no date');
        INSERT INTO %@.recordings VALUES (10, 1, NULL), (11, 3, '2031-03-15'), (12, 2, NULL)
        """

    static func collection(_ column: String) -> DataCollection {
        var calls = DataCollection(name: "calls", store: "store", table: "calls", key: ["id"])
        calls.keep = KeepRule(column: column, limit: .period(RetentionPeriod(count: 6, unit: .months)))
        return calls
    }

    @Test("Rows past their rule are found by the database in the column's own type: date, timestamp, timestamptz, text, seconds")
    func comparedInOwnType() async throws {
        guard PostgresTestServer.available() else { return }
        try await PostgresTestServer.withSchema { schema, client in
            try await PostgresErasureTests.run(client, Self.schemaSQL.replacingOccurrences(of: "%@", with: schema))
            let store = try PostgresErasureTests.store(schema: schema)
            defer { store.close() }
            let cutoff = try #require(CalendarDay("2026-04-01"))
            // tstz of row 3 is 2026-03-31 23:00 UTC: before the cutoff; its text is no date and its seconds are 0.
            let expected: [String: Set<Int64>] = ["d": [1, 3], "ts": [1, 3], "tstz": [1, 3], "txt": [1], "secs": [1, 3]]
            for (column, ids) in expected {
                let rows = try await Self.ids(store.records(in: Self.collection(column), datedBefore: cutoff, column: column))
                #expect(rows == ids, "\(column)")
            }
            await #expect(throws: DSARError.self) {
                _ = try await Self.ids(store.records(in: Self.collection("flag"), datedBefore: cutoff, column: "flag"))
            }
        }
    }

    @Test("A sweep on PostgreSQL deletes the calls past their rule with their recordings, keeps the held one and its call")
    func sweep() async throws {
        guard PostgresTestServer.available() else { return }
        try await PostgresTestServer.withSchema { schema, client in
            try await PostgresErasureTests.run(client, Self.schemaSQL.replacingOccurrences(of: "%@", with: schema))
            let store = try PostgresErasureTests.store(schema: schema)
            defer { store.close() }
            let yaml = """
                version: 1
                controller: { name: Test, contact: dpo@example.com }
                identifiers: { customer_id: { type: opaque } }
                stores: { store: { type: postgres } }
                collections:
                  calls:
                    store: store
                    table: calls
                    key: id
                    keep: { column: tstz, for: 6 months }
                    purpose: Calls
                    lawfulBasis: legitimate_interest
                    retention: 6 months
                    erase: delete
                  recordings:
                    store: store
                    table: recordings
                    key: id
                    references: { call_id: calls.id }
                    hold: { column: hold_until, reason: MiFID II }
                    purpose: Recordings
                    lawfulBasis: legitimate_interest
                    retention: 6 months
                    erase: delete
                """
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dsar-pg-sweep-\(UUID().uuidString.prefix(8))")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let catalog = try Catalog.parse(yaml: yaml, sourceName: "dsar.yaml", baseDirectory: folder)
            let ledger = try Ledger(url: folder.appendingPathComponent("ledger.sqlite"))
            try ledger.generateSigningKey()
            let now = try Date("2026-10-01T12:00:00Z", strategy: .iso8601)
            let sweep = RetentionSweep(catalog: catalog, stores: StoreSet([store]), ledger: ledger, now: { now }, logger: Logger(label: "test"))

            let outcome = try await sweep.execute()

            #expect(outcome.isComplete, "\(outcome.residue)")
            let calls = try await Self.ids(store.records(in: catalog.collection(named: "calls")!, where: ColumnMatch(column: "id", values: (1...4).map { .integer($0) })))
            let recordings = try await Self.ids(store.records(in: catalog.collection(named: "recordings")!,
                                                              where: ColumnMatch(column: "id", values: [.integer(10), .integer(11), .integer(12)])))
            #expect(calls == [2, 3, 4], "call 1 deleted; call 3 kept under its held recording")
            #expect(recordings == [11, 12])
            #expect(outcome.plan.collection("recordings")?.held.map(\.key) == ["id=11"])
            #expect(try await sweep.plan().steps.isEmpty)
        }
    }

    static func ids(_ stream: AsyncThrowingStream<Record, any Error>) async throws -> Set<Int64> {
        var ids = Set<Int64>()
        for try await record in stream { if case .integer(let id)? = record["id"] { ids.insert(id) } }
        return ids
    }
}
