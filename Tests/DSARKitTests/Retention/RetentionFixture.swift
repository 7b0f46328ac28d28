import CallCenterExample
import Crypto
import DSARKit
import Foundation
import GRDB
import Testing

/// A fresh call-centre example for a retention sweep, a fixed clock, and the facts a sweep test
/// checks read straight from the database and the disk, not through DSARKit.
struct RetentionFixture {
    /// 2026-10-01, noon UTC: calls kept 6 months are past their rule before 2026-04-01.
    static let now = try! Date("2026-10-01T12:00:00Z", strategy: .iso8601)
    static let cutoff = "2026-04-01"
    static let today = "2026-10-01"

    let scope: ScopeFixture
    let catalog: Catalog
    let ledger: Ledger
    var queue: DatabaseQueue { scope.queue }

    /// `edit` changes the example catalog's text (a variant of a rule) before it is loaded.
    init(_ name: String = #function, edit: (String) -> String = { $0 }) throws {
        scope = try ScopeFixture(name)
        let text = edit(try String(contentsOf: scope.dataSet.catalogURL, encoding: .utf8))
        let url = scope.dataSet.directory.appendingPathComponent("sweep.yaml")
        try Data(text.utf8).write(to: url)
        catalog = try Catalog.load(from: url)
        ledger = try scope.ledger()
    }

    func sweep(ledger: (any ErasureLedger)? = nil) throws -> RetentionSweep {
        RetentionSweep(catalog: catalog, stores: try StoreSet.open(for: catalog, readOnly: false), ledger: ledger ?? self.ledger,
                       now: { Self.now }, logger: .init(label: "test.sweep"))
    }

    /// Calls started before the cutoff.
    func expiredCalls() throws -> Set<Int64> {
        try queue.read { db in Set(try Int64.fetchAll(db, sql: "SELECT id FROM calls WHERE started_at < ?", arguments: [Self.cutoff])) }
    }

    /// Recordings of `calls`, split into those under a hold still running today and the others.
    func recordings(of calls: Set<Int64>) throws -> (held: Set<Int64>, free: Set<Int64>) {
        try queue.read { db in
            var held = Set<Int64>(), free = Set<Int64>()
            for row in try Row.fetchAll(db, sql: "SELECT id, call_id, legal_hold_until FROM recordings") where calls.contains(row["call_id"]) {
                let until: String? = row["legal_hold_until"]
                if let until, until >= Self.today { held.insert(row["id"]) } else { free.insert(row["id"]) }
            }
            return (held, free)
        }
    }

    func callsOf(recordings: Set<Int64>) throws -> Set<Int64> {
        try queue.read { db in
            Set(try Row.fetchAll(db, sql: "SELECT id, call_id FROM recordings").filter { recordings.contains($0["id"]) }.map { $0["call_id"] as Int64 })
        }
    }

    func recordingPaths(_ ids: Set<Int64>) throws -> Set<String> {
        try Set(ids.map { try scope.recordingPath($0) })
    }

    /// Every file under the data folder's recordings, by path, with its SHA-256.
    func files() throws -> [String: String] {
        let root = scope.dataSet.recordingsURL
        var files: [String: String] = [:]
        let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey])
        while let url = enumerator?.nextObject() as? URL {
            guard try url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile == true else { continue }
            let path = String(url.standardizedFileURL.path.dropFirst(root.standardizedFileURL.path.count + 1))
            files[path] = SHA256.hash(data: try Data(contentsOf: url)).map { String(format: "%02x", $0) }.joined()
        }
        return files
    }

    /// Every email and phone number of the fixture, as stored.
    func personalValues() throws -> [String] {
        try queue.read { db in
            try String.fetchAll(db, sql: "SELECT email FROM customers WHERE email IS NOT NULL UNION SELECT mobile FROM customers WHERE mobile IS NOT NULL "
                                + "UNION SELECT caller_number FROM calls WHERE caller_number IS NOT NULL")
        }
    }
}
