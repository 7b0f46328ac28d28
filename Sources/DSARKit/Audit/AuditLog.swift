import Crypto
import Foundation
import GRDB

/// One entry of the audit log. It names runs, steps, collections and counts, never a
/// person, a key value or a file path.
public struct AuditEntry: Sendable, Hashable, Codable {
    public var sequence: Int64
    public var at: String
    public var runID: String?
    public var event: String
    public var detail: String
    /// The hash of the entry before (64 zeros for the first).
    public var previousHash: String
    /// SHA-256 of this entry's fields and ``previousHash``.
    public var hash: String

    /// The hash this entry should have.
    public var computedHash: String {
        let text = [String(sequence), at, runID ?? "", event, detail, previousHash].joined(separator: "\u{1f}")
        return SHA256.hash(data: Data(text.utf8)).hex
    }

    static let genesis = String(repeating: "0", count: 64)
}

/// The result of checking the chain.
public struct AuditVerification: Sendable {
    public var entries: Int
    /// Problems by entry sequence number; empty when the chain is intact.
    public var problems: [String]
    public var isIntact: Bool { problems.isEmpty }
}

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

extension Ledger {
    /// Every audit entry, oldest first.
    public func auditEntries() throws -> [AuditEntry] {
        try read { try AuditLog.entries($0) }
    }

    /// Checks the chain: sequence numbers, links and hashes.
    public func verifyAudit() throws -> AuditVerification {
        AuditLog.verify(try auditEntries())
    }

    /// The hash of the newest entry (certificates carry it).
    public func auditHead() throws -> String {
        try read { try String.fetchOne($0, sql: "SELECT hash FROM audit ORDER BY seq DESC LIMIT 1") } ?? AuditEntry.genesis
    }

    /// Appends one entry on its own.
    public func audit(runID: String?, event: String, detail: String, at date: Date = Date()) throws {
        try write { try AuditLog.append($0, runID: runID, event: event, detail: detail, at: ISO8601.timestamp(date)) }
    }
}
