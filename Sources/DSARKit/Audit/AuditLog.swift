import Crypto
import Foundation
import GRDB

/// The hash-chained audit log inside the ledger: each entry includes the SHA-256 of the
/// one before, so editing, removing or reordering entries breaks the chain.
enum AuditLog {
    static func append(_ db: Database, runID: String?, event: String, detail: String, at: String) throws {
        let last = try Row.fetchOne(db, sql: "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1")
        let sequence: Int64 = (last?["seq"] as Int64? ?? 0) + 1
        var entry = AuditEntry(sequence: sequence, at: at, runID: runID, event: event, detail: detail,
                               previousHash: last?["hash"] ?? AuditEntry.genesis, hash: "")
        entry.hash = entry.computedHash
        try db.execute(sql: "INSERT INTO audit (seq, at, run_id, event, detail, previous_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)",
                       arguments: [entry.sequence, entry.at, entry.runID, entry.event, entry.detail, entry.previousHash, entry.hash])
    }

    static func entries(_ db: Database) throws -> [AuditEntry] {
        try Row.fetchAll(db, sql: "SELECT * FROM audit ORDER BY rowid").map { row in
            AuditEntry(sequence: row["seq"], at: row["at"], runID: row["run_id"], event: row["event"], detail: row["detail"],
                       previousHash: row["previous_hash"], hash: row["hash"])
        }
    }

    static func verify(_ entries: [AuditEntry]) -> AuditVerification {
        var problems: [String] = []
        var previous = AuditEntry.genesis
        for (offset, entry) in entries.enumerated() {
            let expected = Int64(offset + 1)
            if entry.sequence != expected {
                problems.append("entry \(entry.sequence): expected entry \(expected) here (an entry was removed or moved)")
            }
            if entry.previousHash != previous {
                problems.append("entry \(entry.sequence): does not follow the entry before it (removed, inserted or reordered)")
            }
            if entry.computedHash != entry.hash {
                problems.append("entry \(entry.sequence): its contents were changed after it was written")
            }
            previous = entry.hash
        }
        return AuditVerification(entries: entries.count, problems: problems)
    }
}
