import Foundation

extension Ledger {
    /// Every audit entry, oldest first.
    public func auditEntries() throws -> [AuditEntry] {
        try read { try AuditLog.entries($0) }
    }

    /// Checks the chain (sequence numbers, links, seals with the ledger's key) and the
    /// sealed anchor of its newest entry, `audit.head`, kept beside the database.
    public func verifyAudit() throws -> AuditVerification {
        let entries = try auditEntries()
        let key = try keys.existingAuditKey()
        var verification = AuditVerification.check(entries, key: key)
        verification.problems += AuditAnchor.problems(AuditAnchor(folder: folder).text, entries: entries, key: key, name: "audit.head")
        return verification
    }

    /// The hash of the newest entry (certificates carry it).
    public func auditHead() throws -> String {
        try read { try String.fetchOne($0, sql: "SELECT hash FROM audit ORDER BY seq DESC LIMIT 1") } ?? AuditEntry.genesis
    }

    /// Appends one entry on its own.
    public func audit(runID: String?, event: String, detail: String, at date: Date = Date()) throws {
        let key = try auditKey()
        try write { try AuditLog.append($0, key: key, runID: runID, event: event, detail: detail, at: ISO8601.timestamp(date)) }
    }

    /// The key that seals audit entries (created with the masking key on first use).
    func auditKey() throws -> AuditKey {
        do {
            return try keys.auditKey()
        } catch let error as DSARError {
            throw error
        } catch {
            throw DSARError(.ledgerFailure, "the ledger's key could not be read or created", location: folder.path, cause: error)
        }
    }
}
