import GRDB

extension RequestBook {
    /// The request tables, created beside the erasure journal if missing. They hold no
    /// identifier in clear: `subject` and `note` are AES-GCM blobs, lookups go through HMACs.
    static func createTables(_ db: Database) throws {
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
}
