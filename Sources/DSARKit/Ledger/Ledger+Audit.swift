import Foundation

extension Ledger {
    /// Every audit entry, oldest first.
    public func auditEntries() throws -> [AuditEntry] {
        try read { try AuditLog.entries($0) }
    }

    /// Checks the chain: sequence numbers, links and hashes.
    public func verifyAudit() throws -> AuditVerification {
        let entries = try auditEntries()
        var verification = AuditVerification.check(entries)
        verification.problems += AuditAnchor(folder: folder).problems(with: entries)
        return verification
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
