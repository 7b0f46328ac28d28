import Foundation
import GRDB

extension RequestBook {
    /// Deletes the encrypted identifiers and notes of requests closed before `day` (the end of
    /// your accountability period). The requests, their audit entries, certificates and
    /// suppression HMACs stay; their erasures can no longer be replayed. Returns the ids purged.
    @discardableResult
    public func purgeIdentifiers(closedBefore day: CalendarDay) throws -> [String] {
        let at = ISO8601.timestamp(now())
        let cutoff = ISO8601.timestamp(day.date)
        let key = try ledger.auditKey()
        return try ledger.write { db in
            let ids = try String.fetchAll(db, sql: """
                SELECT id FROM requests WHERE status IN ('completed', 'rejected') AND closed_at < ?
                AND (subject IS NOT NULL OR note IS NOT NULL) ORDER BY seq
                """, arguments: [cutoff])
            for id in ids {
                try db.execute(sql: "UPDATE requests SET subject = NULL, note = NULL WHERE id = ?", arguments: [id])
                try db.execute(sql: "DELETE FROM request_identifiers WHERE request_id = ?", arguments: [id])
                try AuditLog.append(db, key: key, runID: id, event: "request.purged",
                                    detail: "identifiers and note deleted (closed before \(day)); the erasure can no longer be replayed",
                                    at: at)
            }
            return ids
        }
    }
}
