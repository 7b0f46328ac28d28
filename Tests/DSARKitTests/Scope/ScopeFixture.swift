import CallCenterExample
import DSARKit
import Foundation
import GRDB
import Testing

/// A fresh call-centre example (SQLite through GRDB, recordings on disk), and the facts a scope
/// test needs read straight from the database, not through DSARKit.
struct ScopeFixture {
    struct Call: Hashable {
        let id: Int64
        let day: String
        let recordings: [Int64]
    }

    let dataSet: CallCenterDataSet
    let catalog: Catalog
    let queue: DatabaseQueue

    init(_ name: String = #function) throws {
        dataSet = try CallCenterDataSet.generate(into: try ExampleData.temporaryFolder(name), customers: 12)
        catalog = try Catalog.load(from: dataSet.catalogURL)
        queue = try DatabaseQueue(path: dataSet.databaseURL.path)
    }

    /// A customer with at least two calls, on different days, each with one recording not under a hold.
    func customerWithCalls() throws -> (customer: Int64, calls: [Call]) {
        try queue.read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT c.customer_id, c.id, substr(c.started_at, 1, 10) AS day, r.id AS recording
                FROM calls c JOIN recordings r ON r.call_id = c.id
                WHERE c.customer_id IS NOT NULL AND r.legal_hold_until IS NULL
                ORDER BY c.customer_id, c.id, r.id
                """)
            var byCustomer: [Int64: [Int64: (String, [Int64])]] = [:]
            for row in rows {
                let customer: Int64 = row["customer_id"], call: Int64 = row["id"]
                byCustomer[customer, default: [:]][call, default: (row["day"], [])].1.append(row["recording"])
            }
            for customer in byCustomer.keys.sorted() {
                let calls = byCustomer[customer]!
                // Every one of the customer's calls has an unheld recording, and their days differ.
                let all = try Int64.fetchAll(db, sql: "SELECT id FROM calls WHERE customer_id = ?", arguments: [customer])
                let days = Set(calls.values.map(\.0))
                if calls.count >= 2, all.count == calls.count, days.count == calls.count, calls.values.allSatisfy({ $0.1.count == 1 }) {
                    return (customer, calls.keys.sorted().map { Call(id: $0, day: calls[$0]!.0, recordings: calls[$0]!.1) })
                }
            }
            throw FixtureError()
        }
    }

    struct FixtureError: Error {}

    func recordingPath(_ id: Int64) throws -> String {
        try queue.read { db in try String.fetchOne(db, sql: "SELECT path FROM recordings WHERE id = ?", arguments: [id])! }
    }

    /// Every row of every table, as text, keyed `table:id`.
    func snapshot() throws -> [String: String] {
        try queue.read { db in
            var rows: [String: String] = [:]
            let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
            for table in tables {
                for row in try Row.fetchAll(db, sql: "SELECT rowid AS _rowid, * FROM \"\(table)\"") {
                    rows["\(table):\(row["_rowid"] as Int64)"] = row.description
                }
            }
            return rows
        }
    }

    func ledger() throws -> Ledger {
        let ledger = try Ledger(url: try ExampleData.temporaryFolder().appendingPathComponent("ledger.sqlite"))
        try ledger.generateSigningKey()
        return ledger
    }
}
