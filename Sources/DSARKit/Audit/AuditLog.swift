import Crypto
import Foundation
import GRDB

/// The hash-chained audit log inside the ledger: each entry includes the hash of the one
/// before, sealed with the ledger's ``AuditKey``, so editing, removing, reordering or
/// recomputing entries without the key breaks the chain.
enum AuditLog {
    static func append(_ db: Database, key: AuditKey, runID: String?, event: String, detail: String, at: String) throws {
        let last = try Row.fetchOne(db, sql: "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1")
        let sequence: Int64 = (last?["seq"] as Int64? ?? 0) + 1
        var entry = AuditEntry(sequence: sequence, at: at, runID: runID, event: event, detail: detail,
                               previousHash: last?["hash"] ?? AuditEntry.genesis, hash: "")
        entry.hash = entry.sealedHash(key)
        try db.execute(sql: "INSERT INTO audit (seq, at, run_id, event, detail, previous_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)",
                       arguments: [entry.sequence, entry.at, entry.runID, entry.event, entry.detail, entry.previousHash, entry.hash])
    }

    static func entries(_ db: Database) throws -> [AuditEntry] {
        try Row.fetchAll(db, sql: "SELECT * FROM audit ORDER BY rowid").map { row in
            AuditEntry(sequence: row["seq"], at: row["at"], runID: row["run_id"], event: row["event"], detail: row["detail"],
                       previousHash: row["previous_hash"], hash: row["hash"])
        }
    }

    /// Checks sequence numbers, links and seals. Entries chained with plain SHA-256 (an older
    /// DSARKit) are accepted only before the first sealed entry, which then vouches for them;
    /// a chain that ends unsealed is reported, as nothing tells it from one recomputed by
    /// someone without the key.
    static func verify(_ entries: [AuditEntry], key: AuditKey?) -> AuditVerification {
        guard let key else {
            return AuditVerification(entries: entries.count, problems: entries.isEmpty ? [] : [
                "the ledger's key file (masking.key) is missing: the audit log's seals cannot be checked",
            ])
        }
        var problems: [String] = []
        var previous = AuditEntry.genesis
        var sealed = false
        var unsealed: [Int64] = []
        var vouched = 0
        for (offset, entry) in entries.enumerated() {
            let expected = Int64(offset + 1)
            if entry.sequence != expected {
                problems.append("entry \(entry.sequence): expected entry \(expected) here (an entry was removed or moved)")
            }
            if entry.previousHash != previous {
                problems.append("entry \(entry.sequence): does not follow the entry before it (removed, inserted or reordered)")
            }
            if entry.hash == entry.sealedHash(key) {
                sealed = true
                vouched += unsealed.count
                unsealed = []
            } else if entry.hash == entry.plainHash {
                if sealed {
                    problems.append("entry \(entry.sequence): chained with plain SHA-256 after entries sealed with the ledger's key: " +
                                    "it was recomputed by someone without the key")
                } else {
                    unsealed.append(entry.sequence)
                }
            } else {
                problems.append("entry \(entry.sequence): its contents were changed after it was written (or it was sealed with another key)")
            }
            previous = entry.hash
        }
        if let first = unsealed.first, let last = unsealed.last {
            problems.append("entries \(first)–\(last) are an older unkeyed chain (plain SHA-256, as DSARKit wrote before it sealed the " +
                            "log with the ledger's key): anyone who can write the ledger could have recomputed them, so they prove nothing " +
                            "until the ledger writes its next entry, which seals the chain as it then stands")
        }
        return AuditVerification(entries: entries.count, problems: problems, unkeyedEntries: vouched + unsealed.count)
    }
}
