import Foundation
import GRDB

/// The requests of a local ledger, in its own tables of the SQLite file (unchanged since the
/// first version that kept requests, so existing ledgers keep working). Every write is one
/// SQLite transaction; the database's write lock serialises processes.
extension Ledger: RequestLedger {
    /// Creates the request tables beside the erasure journal if missing. They hold no
    /// identifier in clear: `subject` and `note` are AES-GCM blobs, lookups go through HMACs.
    public func prepareRequests() throws {
        try write { db in
            try db.execute(sql: """
                CREATE TABLE IF NOT EXISTS requests (
                    id TEXT PRIMARY KEY,
                    seq INTEGER NOT NULL UNIQUE,
                    kind TEXT NOT NULL,
                    channel TEXT,
                    received TEXT NOT NULL,
                    extension_months INTEGER NOT NULL DEFAULT 0,
                    due TEXT NOT NULL,
                    status TEXT NOT NULL,
                    verification TEXT,
                    extension_reason TEXT,
                    rejection_reason TEXT,
                    outcome TEXT,
                    run_id TEXT,
                    forced INTEGER NOT NULL DEFAULT 0,
                    subject BLOB,
                    note BLOB,
                    opened_at TEXT NOT NULL,
                    closed_at TEXT
                );
                CREATE INDEX IF NOT EXISTS requests_due ON requests (due);
                CREATE TABLE IF NOT EXISTS request_identifiers (
                    request_id TEXT NOT NULL REFERENCES requests(id),
                    hmac TEXT NOT NULL,
                    PRIMARY KEY (request_id, hmac)
                );
                CREATE INDEX IF NOT EXISTS request_identifiers_hmac ON request_identifiers (hmac);
                CREATE TABLE IF NOT EXISTS suppression (
                    hmac TEXT NOT NULL,
                    request_id TEXT NOT NULL,
                    scope TEXT NOT NULL,
                    erased_at TEXT NOT NULL,
                    PRIMARY KEY (hmac, request_id)
                );
                CREATE INDEX IF NOT EXISTS suppression_erased_at ON suppression (erased_at);
                """)
            // Added with scoped requests: a ledger from before gains the column, empty.
            if try !db.columns(in: "requests").contains(where: { $0.name == "scope" }) {
                try db.execute(sql: "ALTER TABLE requests ADD COLUMN scope BLOB")
            }
        }
    }

    public func insertRequest(_ make: @escaping @Sendable (Int) throws -> NewRequest) throws -> DataRequest {
        let key = try auditKey()
        return try write { db in
            let new = try make((try Int.fetchOne(db, sql: "SELECT max(seq) FROM requests") ?? 0) + 1)
            let request = new.request
            try db.execute(sql: """
                INSERT INTO requests (id, seq, kind, channel, received, due, status, subject, note, scope, opened_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [request.id, new.sequence, request.kind.rawValue, request.channel?.rawValue,
                                 request.deadline.received.description, request.due.description, request.status.rawValue,
                                 new.subject, new.note, new.scope, request.openedAt])
            try Self.save(request, db)
            for hmac in new.hmacs {
                try db.execute(sql: "INSERT INTO request_identifiers (request_id, hmac) VALUES (?, ?)", arguments: [request.id, hmac])
            }
            try Self.append(new.entry, of: request.id, db, key: key)
            return try Self.request(request.id, db)!
        }
    }

    public func request(_ id: String) throws -> DataRequest? {
        try read { try Self.request(id, $0) }
    }

    public func sealedIdentifiers(of id: String) throws -> SealedIdentifiers? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT subject, note, scope FROM requests WHERE id = ?", arguments: [id]).map {
                SealedIdentifiers(subject: $0["subject"], note: $0["note"], scope: $0["scope"])
            }
        }
    }

    public func requests(withHMAC hmac: String) throws -> [DataRequest] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT r.* FROM requests r JOIN request_identifiers i ON i.request_id = r.id WHERE i.hmac = ? ORDER BY r.seq
                """, arguments: [hmac]).map(Self.request)
        }
    }

    public func allRequests() throws -> [DataRequest] {
        try read { try Row.fetchAll($0, sql: "SELECT * FROM requests ORDER BY due, seq").map(Self.request) }
    }

    @discardableResult
    public func updateRequest(_ id: String, _ change: @escaping @Sendable (DataRequest) throws -> RequestChange) throws -> DataRequest {
        let key = try auditKey()
        return try write { db in
            guard let before = try Self.request(id, db) else { throw DSARError.requestNotFound(id) }
            let update = try change(before)
            try Self.save(update.request, db)
            let at = update.entry.timestamp
            for hmac in update.suppress {
                try db.execute(sql: "INSERT OR REPLACE INTO suppression (hmac, request_id, scope, erased_at) VALUES (?, ?, ?, ?)",
                               arguments: [hmac, id, update.scope, at])
            }
            try Self.append(update.entry, of: id, db, key: key)
            return try Self.request(id, db)!
        }
    }

    public func purgeIdentifiers(of ids: [String], entry: @escaping @Sendable (String) -> RequestAuditEntry) throws -> [String] {
        let key = try auditKey()
        return try write { db in
            var purged: [String] = []
            for id in ids {
                guard try Bool.fetchOne(db, sql: "SELECT subject IS NOT NULL OR note IS NOT NULL FROM requests WHERE id = ?",
                                        arguments: [id]) == true else { continue }
                try db.execute(sql: "UPDATE requests SET subject = NULL, note = NULL, scope = NULL WHERE id = ?", arguments: [id])
                try db.execute(sql: "DELETE FROM request_identifiers WHERE request_id = ?", arguments: [id])
                try Self.append(entry(id), of: id, db, key: key)
                purged.append(id)
            }
            return purged
        }
    }

    public func suppressionScopes(of hmac: String) throws -> Set<String> {
        Set(try read { try String.fetchAll($0, sql: "SELECT DISTINCT scope FROM suppression WHERE hmac = ?", arguments: [hmac]) })
    }

    public func suppressionEntries(since: String) throws -> [SuppressionList.Entry] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT request_id, scope, min(erased_at) AS erased_at, count(*) AS n FROM suppression
                WHERE erased_at >= ? GROUP BY request_id, scope ORDER BY min(erased_at), request_id
                """, arguments: [since]).map {
                SuppressionList.Entry(requestID: $0["request_id"], scope: $0["scope"], erasedAt: $0["erased_at"], identifiers: $0["n"])
            }
        }
    }

    public func erasureRuns(of id: String) throws -> [RequestRunRecord] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT id, certificate FROM runs WHERE id = ? OR id LIKE ? ESCAPE '\\' ORDER BY rowid",
                             arguments: [id, Self.likePrefix(id) + ".%"]).map {
                RequestRunRecord(id: $0["id"], certificate: $0["certificate"])
            }
        }
    }

    // MARK: Rows

    /// Writes every field a request's life changes.
    private static func save(_ request: DataRequest, _ db: Database) throws {
        try db.execute(sql: """
            UPDATE requests SET extension_months = ?, due = ?, status = ?, verification = ?, extension_reason = ?,
                rejection_reason = ?, outcome = ?, run_id = ?, forced = ?, closed_at = ? WHERE id = ?
            """, arguments: [request.deadline.extensionMonths, request.due.description, request.status.rawValue, request.verification,
                             request.extensionReason, request.rejectionReason, request.outcome, request.runID, request.forced,
                             request.closedAt, request.id])
    }

    private static func append(_ entry: RequestAuditEntry, of id: String, _ db: Database, key: AuditKey) throws {
        try AuditLog.append(db, key: key, runID: id, event: entry.event, detail: entry.detail, at: entry.timestamp)
    }

    private static func request(_ id: String, _ db: Database) throws -> DataRequest? {
        try Row.fetchOne(db, sql: "SELECT * FROM requests WHERE id = ?", arguments: [id]).map(request)
    }

    static func request(_ row: Row) -> DataRequest {
        let received = CalendarDay(row["received"] as String) ?? CalendarDay(year: 1970, month: 1, day: 1)!
        return DataRequest(
            id: row["id"], kind: RequestKind(rawValue: row["kind"]) ?? .access,
            channel: (row["channel"] as String?).flatMap(RequestChannel.init(rawValue:)),
            deadline: Deadline(received: received, extensionMonths: row["extension_months"]),
            status: RequestStatus(rawValue: row["status"]) ?? .open,
            verification: row["verification"], extensionReason: row["extension_reason"],
            rejectionReason: row["rejection_reason"], outcome: row["outcome"], runID: row["run_id"], forced: row["forced"],
            openedAt: row["opened_at"], closedAt: row["closed_at"])
    }

    static func likePrefix(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_")
    }
}
