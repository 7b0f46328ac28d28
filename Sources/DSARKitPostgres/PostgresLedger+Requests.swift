import DSARKit
import Foundation
import PostgresNIO

/// The requests of a shared ledger, in tables of its schema beside the journal: every process
/// and machine naming the ledger sees the same requests, deadlines, suppression list and
/// audit chain.
///
/// Request numbers are taken under a transaction-level advisory lock, so processes opening
/// requests at the same moment get consecutive, distinct ids. Keys stay local files: every
/// machine needs the same `masking.key` (HMAC lookups, audit seals) and `requests.key`
/// (sealed identifiers) — copy the key folder. The ledger keeps a fingerprint of each in its
/// `meta` table and refuses a machine holding other ones, rather than find no one.
extension PostgresLedger: RequestLedger {
    public func prepareRequests() async throws {
        try await prepare()
        let s = self.s
        try await transaction("the shared ledger's request tables cannot be prepared") { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(hashtext(\("dsarkit-ledger-" + self.schema)))", logger: self.logger)
            for statement in [
                """
                CREATE TABLE IF NOT EXISTS \(s).requests (id text PRIMARY KEY, seq bigint NOT NULL UNIQUE, kind text NOT NULL,
                    channel text, received text NOT NULL, extension_months integer NOT NULL DEFAULT 0, due text NOT NULL,
                    status text NOT NULL, verification text, extension_reason text, rejection_reason text, outcome text,
                    run_id text, forced boolean NOT NULL DEFAULT false, subject bytea, note bytea, opened_at text NOT NULL,
                    closed_at text)
                """,
                "CREATE INDEX IF NOT EXISTS requests_due ON \(s).requests (due, seq)",
                """
                CREATE TABLE IF NOT EXISTS \(s).request_identifiers (request_id text NOT NULL REFERENCES \(s).requests(id),
                    hmac text NOT NULL, PRIMARY KEY (request_id, hmac))
                """,
                "CREATE INDEX IF NOT EXISTS request_identifiers_hmac ON \(s).request_identifiers (hmac)",
                """
                CREATE TABLE IF NOT EXISTS \(s).suppression (hmac text NOT NULL, request_id text NOT NULL, scope text NOT NULL,
                    erased_at text NOT NULL, PRIMARY KEY (hmac, request_id))
                """,
                "CREATE INDEX IF NOT EXISTS suppression_erased_at ON \(s).suppression (erased_at)",
            ] {
                try await connection.query(PostgresQuery(unsafeSQL: statement), logger: self.logger)
            }
            // Added with scoped requests: a ledger from before gains the column, empty. Only when it is
            // missing: ALTER TABLE takes the table's strongest lock even when it has nothing to do, and
            // would wait for (and block) the other processes writing requests.
            let hasScope = try await self.scalar(connection, """
                SELECT attname::text FROM pg_attribute WHERE attrelid = '\(s).requests'::regclass AND attname = 'scope' AND NOT attisdropped
                """, PostgresBindings())
            if hasScope == nil {
                try await connection.query(PostgresQuery(unsafeSQL: "ALTER TABLE \(s).requests ADD COLUMN scope bytea"), logger: self.logger)
            }
            try await self.checkSealingKey(connection)
        }
    }

    /// The first machine to keep requests creates `requests.key` and records its fingerprint;
    /// every other machine must hold the same file.
    private func checkSealingKey(_ connection: PostgresConnection) async throws {
        let stored = try await scalar(connection, "SELECT value FROM \(s).meta WHERE name = 'requests-key'", PostgresBindings())
        let local = keys.existingSealingKey()
        if let stored {
            guard let local else {
                throw DSARError(.ledgerFailure, "this shared ledger keeps requests sealed with a requests.key that is not in " +
                                "\(keys.folder.path); copy the key folder of a machine that uses this ledger (nothing was written)")
            }
            guard local.fingerprint == stored else {
                throw DSARError(.ledgerFailure, "the requests.key in \(keys.folder.path) is not the one this shared ledger's requests " +
                                "were sealed with; copy the key folder of a machine that uses this ledger (nothing was written)")
            }
            return
        }
        let key = try local ?? keys.sealingKey()
        try await connection.query(PostgresQuery(unsafeSQL: "INSERT INTO \(s).meta (name, value) VALUES ('requests-key', $1)",
                                                 binds: Self.binds(key.fingerprint)), logger: logger)
    }

    public func insertRequest(_ make: @escaping @Sendable (Int) throws -> NewRequest) async throws -> DataRequest {
        try await transaction("the ledger could not be written") { connection in
            // One number per request, even for processes opening requests at the same moment.
            try await connection.query("SELECT pg_advisory_xact_lock(hashtext(\("dsarkit-requests-" + self.schema)))", logger: self.logger)
            let last = try await self.scalar(connection, "SELECT coalesce(max(seq), 0)::text FROM \(self.s).requests", PostgresBindings())
            let new = try make((Int(last ?? "0") ?? 0) + 1)
            let request = new.request
            var binds = PostgresBindings()
            binds.append(request.id)
            binds.append(Int64(new.sequence))
            binds.append(request.kind.rawValue)
            binds.append(request.channel?.rawValue)
            binds.append(request.deadline.received.description)
            binds.append(request.due.description)
            binds.append(request.status.rawValue)
            try binds.append(new.subject)
            try binds.append(new.note)
            binds.append(request.openedAt)
            try binds.append(new.scope)
            try await connection.query(PostgresQuery(unsafeSQL: """
                INSERT INTO \(self.s).requests (id, seq, kind, channel, received, due, status, subject, note, opened_at, scope)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
                """, binds: binds), logger: self.logger)
            try await self.save(request, connection)
            var hmacs = PostgresBindings()
            hmacs.append(request.id)
            hmacs.append(new.hmacs.sorted())
            try await connection.query(PostgresQuery(unsafeSQL: """
                INSERT INTO \(self.s).request_identifiers (request_id, hmac) SELECT $1, h FROM unnest($2::text[]) AS h
                """, binds: hmacs), logger: self.logger)
            try await self.append(connection, runID: request.id, event: new.entry.event, detail: new.entry.detail, at: new.entry.at)
            return request
        }
    }

    public func request(_ id: String) async throws -> DataRequest? {
        try await requests(where: "r.id = $1", Self.binds(id)).first
    }

    public func sealedIdentifiers(of id: String) async throws -> SealedIdentifiers? {
        do {
            let rows = try await client.query(PostgresQuery(unsafeSQL: "SELECT subject, note, scope FROM \(s).requests WHERE id = $1",
                                                            binds: Self.binds(id)), logger: logger)
            var found: SealedIdentifiers?
            for try await (subject, note, scope) in rows.decode((Data?, Data?, Data?).self) {
                found = SealedIdentifiers(subject: subject, note: note, scope: scope)
            }
            return found
        } catch {
            throw failure(error, "the ledger could not be read")
        }
    }

    public func requests(withHMAC hmac: String) async throws -> [DataRequest] {
        try await requests(where: "r.id IN (SELECT request_id FROM \(s).request_identifiers WHERE hmac = $1)", Self.binds(hmac))
    }

    public func allRequests() async throws -> [DataRequest] {
        try await requests(where: "true", PostgresBindings(), order: "r.due COLLATE \"C\", r.seq")
    }

    @discardableResult
    public func updateRequest(_ id: String, _ change: @escaping @Sendable (DataRequest) throws -> RequestChange) async throws -> DataRequest {
        try await transaction("the ledger could not be written") { connection in
            let rows = try await connection.query(PostgresQuery(unsafeSQL: """
                SELECT \(Self.requestJSON) FROM \(self.s).requests r WHERE r.id = $1 FOR UPDATE
                """, binds: Self.binds(id)), logger: self.logger)
            var before: DataRequest?
            for try await json in rows.decode(String.self) { before = try Self.decode(json) }
            guard let before else { throw DSARError.requestNotFound(id) }
            let update = try change(before)
            try await self.save(update.request, connection)
            if !update.suppress.isEmpty {
                var binds = PostgresBindings()
                binds.append(update.suppress.sorted())
                binds.append(id)
                binds.append(update.scope)
                binds.append(update.entry.timestamp)
                try await connection.query(PostgresQuery(unsafeSQL: """
                    INSERT INTO \(self.s).suppression (hmac, request_id, scope, erased_at) SELECT h, $2, $3, $4 FROM unnest($1::text[]) AS h
                    ON CONFLICT (hmac, request_id) DO UPDATE SET scope = EXCLUDED.scope, erased_at = EXCLUDED.erased_at
                    """, binds: binds), logger: self.logger)
            }
            try await self.append(connection, runID: id, event: update.entry.event, detail: update.entry.detail, at: update.entry.at)
            return update.request
        }
    }

    public func purgeIdentifiers(of ids: [String], entry: @escaping @Sendable (String) -> RequestAuditEntry) async throws -> [String] {
        try await transaction("the ledger could not be written") { connection in
            var purged: [String] = []
            for id in ids {
                let cleared = try await self.scalar(connection, """
                    UPDATE \(self.s).requests SET subject = NULL, note = NULL, scope = NULL
                    WHERE id = $1 AND (subject IS NOT NULL OR note IS NOT NULL) RETURNING id
                    """, Self.binds(id))
                guard cleared != nil else { continue }
                try await connection.query(PostgresQuery(unsafeSQL: "DELETE FROM \(self.s).request_identifiers WHERE request_id = $1",
                                                         binds: Self.binds(id)), logger: self.logger)
                let item = entry(id)
                try await self.append(connection, runID: id, event: item.event, detail: item.detail, at: item.at)
                purged.append(id)
            }
            return purged
        }
    }

    public func suppressionScopes(of hmac: String) async throws -> Set<String> {
        Set(try await read("SELECT DISTINCT scope FROM \(s).suppression WHERE hmac = $1", Self.binds(hmac)))
    }

    public func suppressionEntries(since: String) async throws -> [SuppressionList.Entry] {
        do {
            let rows = try await client.query(PostgresQuery(unsafeSQL: """
                SELECT request_id, scope, min(erased_at COLLATE "C"), count(*) FROM \(s).suppression WHERE erased_at COLLATE "C" >= $1
                GROUP BY request_id, scope ORDER BY min(erased_at COLLATE "C"), request_id COLLATE "C"
                """, binds: Self.binds(since)), logger: logger)
            var entries: [SuppressionList.Entry] = []
            for try await (request, scope, erasedAt, count) in rows.decode((String, String, String, Int64).self) {
                entries.append(SuppressionList.Entry(requestID: request, scope: scope, erasedAt: erasedAt, identifiers: Int(count)))
            }
            return entries
        } catch {
            throw failure(error, "the ledger could not be read")
        }
    }

    public func erasureRuns(of id: String) async throws -> [RequestRunRecord] {
        do {
            let rows = try await client.query(PostgresQuery(unsafeSQL: """
                SELECT id, certificate FROM \(s).runs WHERE id = $1 OR starts_with(id, $2) ORDER BY position
                """, binds: Self.binds(id, id + ".")), logger: logger)
            var runs: [RequestRunRecord] = []
            for try await (run, certificate) in rows.decode((String, String?).self) {
                runs.append(RequestRunRecord(id: run, certificate: certificate))
            }
            return runs
        } catch {
            throw failure(error, "the ledger could not be read")
        }
    }

    /// Holds a session advisory lock named after the request on a connection of its own while
    /// `body` runs: a second run of the request, in any process, is refused; a process that
    /// dies drops its connection, and with it the lock.
    public func exclusively<T: Sendable>(request id: String, _ body: @Sendable () async throws -> T) async throws -> T {
        try await prepare()
        let name = "dsarkit-request-\(schema)-\(id)"
        do {
            return try await client.withConnection { connection in
                let taken = try await self.scalar(connection, "SELECT pg_try_advisory_lock(hashtext($1))::text", Self.binds(name))
                guard taken == "true" else {
                    throw DSARError(.erasureInProgress, "request \(id.prefix(40)) is being run by another process on this shared ledger; " +
                                    "wait for it to finish")
                }
                let result: Result<T, any Error>
                do { result = .success(try await body()) } catch { result = .failure(error) }
                _ = try? await self.scalar(connection, "SELECT pg_advisory_unlock(hashtext($1))::text", Self.binds(name))
                return try result.get()
            }
        } catch let error as DSARError {
            throw error
        } catch {
            throw failure(error, "the shared ledger could not be locked")
        }
    }

    // MARK: Rows

    /// A request row as the JSON ``DataRequest`` decodes from.
    static let requestJSON = """
        json_build_object('id', r.id, 'kind', r.kind, 'channel', r.channel,
            'deadline', json_build_object('received', r.received, 'extensionMonths', r.extension_months),
            'status', r.status, 'verification', r.verification, 'extensionReason', r.extension_reason,
            'rejectionReason', r.rejection_reason, 'outcome', r.outcome, 'runID', r.run_id, 'forced', r.forced,
            'openedAt', r.opened_at, 'closedAt', r.closed_at)::text
        """

    private func requests(where condition: String, _ binds: PostgresBindings, order: String = "r.seq") async throws -> [DataRequest] {
        let texts = try await read("SELECT \(Self.requestJSON) FROM \(s).requests r WHERE \(condition) ORDER BY \(order)", binds)
        return try texts.map(Self.decode)
    }

    private static func decode(_ json: String) throws -> DataRequest {
        do {
            return try JSONDecoder().decode(DataRequest.self, from: Data(json.utf8))
        } catch {
            throw DSARError(.ledgerFailure, "a request in the shared ledger cannot be read", location: "ledger", cause: error)
        }
    }

    /// Writes every field a request's life changes.
    private func save(_ request: DataRequest, _ connection: PostgresConnection) async throws {
        var binds = PostgresBindings()
        binds.append(Int32(request.deadline.extensionMonths))
        binds.append(request.due.description)
        binds.append(request.status.rawValue)
        binds.append(request.verification)
        binds.append(request.extensionReason)
        binds.append(request.rejectionReason)
        binds.append(request.outcome)
        binds.append(request.runID)
        binds.append(request.forced)
        binds.append(request.closedAt)
        binds.append(request.id)
        try await connection.query(PostgresQuery(unsafeSQL: """
            UPDATE \(s).requests SET extension_months = $1, due = $2, status = $3, verification = $4, extension_reason = $5,
                rejection_reason = $6, outcome = $7, run_id = $8, forced = $9, closed_at = $10 WHERE id = $11
            """, binds: binds), logger: logger)
    }
}
