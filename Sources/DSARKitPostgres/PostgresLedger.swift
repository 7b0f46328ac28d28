import DSARKit
import Foundation
import Logging
import PostgresNIO
import Synchronization

/// The erasure ledger in a PostgreSQL schema, shared by every `dsar` process that names it:
/// the journal of runs and steps, the hash-chained audit log and the work queue of
/// ``ErasureWorker``.
///
/// Catalog: `ledger: postgres://user@host:5432/db`, `ledgerPasswordEnv: NAME` (the variable
/// holding the password), `ledgerSchema: dsar_ledger` (the default), `ledgerKeys: .dsar` (the
/// local folder of the key files; every worker machine needs the same files), `ledgerTLS: require`
/// (default `disable`). The tables are
/// created on first use. Audit appends are serialised with a transaction-level advisory lock,
/// so entries from many processes form one chain.
public final class PostgresLedger: ErasureLedger {
    public let schema: String
    public let keys: LedgerKeys
    let client: PostgresClient
    /// The connections that hold run locks (``runLock(_:subject:)``), apart from the pool the
    /// journal writes with, so that runs holding locks never starve their own writes.
    let lockClient: PostgresClient
    let logger: Logger
    private let runTask: Task<Void, Never>
    private let prepared = Mutex(false)
    private let address: String

    public init(configuration: PostgresClient.Configuration, schema: String = "dsar_ledger", keys: LedgerKeys,
                logger: Logger = Logger(label: "dsar.ledger.postgres")) {
        self.schema = schema
        self.keys = keys
        self.logger = logger
        self.address = "\(configuration.host ?? "?"):\(configuration.port ?? 5432)"
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        let lockClient = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.client = client
        self.lockClient = lockClient
        self.runTask = Task {
            await withDiscardingTaskGroup { group in
                group.addTask { await client.run() }
                group.addTask { await lockClient.run() }
            }
        }
    }

    /// The ledger a catalog names with `ledger: postgres://…`, the password read from the
    /// variable `ledgerPasswordEnv:` names.
    public convenience init(catalog: Catalog, environment: [String: String], maxConnections: Int = 4,
                            logger: Logger = Logger(label: "dsar.ledger.postgres")) throws {
        guard catalog.hasPostgresLedger, let text = catalog.ledgerPath else {
            throw DSARError(.invalidCatalog, "the catalog's ledger is not a PostgreSQL database", location: "ledger")
        }
        guard let url = URLComponents(string: text), let host = url.host, !host.isEmpty, let user = url.user, !user.isEmpty else {
            throw DSARError(.invalidCatalog, "ledger needs a url like postgres://user@host:5432/database", location: "ledger")
        }
        if url.password != nil {
            throw DSARError(.invalidCatalog, "the ledger url holds a password; put it in an environment variable and name it with ledgerPasswordEnv",
                            location: "ledger")
        }
        var password: String?
        if let variable = catalog.ledgerSettings["passwordEnv"] {
            guard let value = environment[variable] else {
                throw DSARError(.ledgerFailure, "the environment variable \(variable) named by ledgerPasswordEnv is not set", location: "ledger")
            }
            password = value
        }
        let database = url.path.hasPrefix("/") ? String(url.path.dropFirst()) : url.path
        let tls: PostgresClient.Configuration.TLS = catalog.ledgerSettings["tls"] == "require" ? .require(.makeClientConfiguration()) : .disable
        var configuration = PostgresClient.Configuration(host: host, port: url.port ?? 5432, username: user, password: password,
                                                         database: database.isEmpty ? nil : database, tls: tls)
        configuration.options.maximumConnections = maxConnections
        configuration.options.connectTimeout = .seconds(10)
        self.init(configuration: configuration, schema: catalog.ledgerSettings["schema"] ?? "dsar_ledger",
                  keys: LedgerKeys(for: catalog), logger: logger)
    }

    deinit { runTask.cancel() }

    /// Stops the connection pool.
    public func close() { runTask.cancel() }

    var s: String { PostgresColumn.quote(schema) }

    // MARK: Schema

    /// Creates the tables if needed (once per process, serialised across processes) and
    /// checks that this process's masking key is the one the ledger was first used with.
    public func prepare() async throws {
        guard !prepared.withLock({ $0 }) else { return }
        guard let maskingKey = try keys.existingMaskingKey() else {
            throw DSARError(.signingKeyMissing, "there is no masking key in \(keys.folder.path); run `dsar keys generate` once and copy " +
                            "the key folder to every worker machine")
        }
        let fingerprint = maskingKey.hmac("dsarkit shared ledger masking key fingerprint")
        let s = self.s
        try await transaction("the shared ledger cannot be prepared") { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(hashtext(\("dsarkit-ledger-" + self.schema)))", logger: self.logger)
            for statement in [
                "CREATE SCHEMA IF NOT EXISTS \(s)",
                """
                CREATE TABLE IF NOT EXISTS \(s).runs (id text PRIMARY KEY, created_at text NOT NULL, status text NOT NULL,
                    plan text, certificate text, finished_at text, position bigserial)
                """,
                """
                CREATE TABLE IF NOT EXISTS \(s).steps (run_id text NOT NULL REFERENCES \(s).runs(id), idx integer NOT NULL,
                    status text NOT NULL, PRIMARY KEY (run_id, idx))
                """,
                """
                CREATE TABLE IF NOT EXISTS \(s).audit (seq bigint PRIMARY KEY, at text NOT NULL, run_id text, event text NOT NULL,
                    detail text NOT NULL, previous_hash text NOT NULL, hash text NOT NULL)
                """,
                """
                CREATE TABLE IF NOT EXISTS \(s).queue (id bigserial PRIMARY KEY, request_id text NOT NULL UNIQUE,
                    identifiers text, only_basis text, line integer, status text NOT NULL DEFAULT 'queued',
                    enqueued_at timestamptz NOT NULL DEFAULT now(), finished_at timestamptz, worker text, outcome text, error text)
                """,
                "CREATE INDEX IF NOT EXISTS queue_status ON \(s).queue (status, id)",
                "CREATE TABLE IF NOT EXISTS \(s).meta (name text PRIMARY KEY, value text NOT NULL)",
            ] {
                try await connection.query(PostgresQuery(unsafeSQL: statement), logger: self.logger)
            }
            try await connection.query(PostgresQuery(unsafeSQL: "INSERT INTO \(s).meta VALUES ('masking-key', $1) ON CONFLICT DO NOTHING",
                                                     binds: Self.binds(fingerprint)), logger: self.logger)
            let stored = try await connection.query(PostgresQuery(unsafeSQL: "SELECT value FROM \(s).meta WHERE name = 'masking-key'"),
                                                    logger: self.logger)
            for try await value in stored.decode(String.self) where value != fingerprint {
                throw DSARError(.ledgerFailure, "the masking key in \(self.keys.folder.path) is not the one this shared ledger was first " +
                                "used with; copy the key folder of the first machine to this one (hashes would not match otherwise)")
            }
        }
        prepared.withLock { $0 = true }
    }

    // MARK: Journal (the rules are ErasureLedger's)

    public func commit(_ change: JournalChange, _ rules: @Sendable (RunState?) throws -> JournalDecision) async throws {
        try await prepare()
        try await transaction("the ledger could not be written") { connection in
            guard case .apply(let record) = try rules(try await self.state(connection, for: change)) else { return }
            try await self.store(change, connection)
            if let record {
                try await self.append(connection, runID: record.runID?.rawValue, event: record.event.rawValue, detail: record.detail,
                                      at: record.at)
            }
        }
    }

    /// Every change in one transaction.
    public func commit(_ changes: [JournalChange], _ rules: @Sendable (Int, RunState?) throws -> JournalDecision) async throws {
        guard !changes.isEmpty else { return }
        try await prepare()
        try await transaction("the ledger could not be written") { connection in
            for (position, change) in changes.enumerated() {
                guard case .apply(let record) = try rules(position, try await self.state(connection, for: change)) else { continue }
                try await self.store(change, connection)
                if let record {
                    try await self.append(connection, runID: record.runID?.rawValue, event: record.event.rawValue, detail: record.detail,
                                          at: record.at)
                }
            }
        }
    }

    public func run(_ id: RunID) async throws -> JournalRecord? {
        try await journalRuns(where: "id = $1", Self.binds(id.rawValue)).first
    }

    public func runs(withStatus status: RunStatus) async throws -> [JournalRecord] {
        try await journalRuns(where: "status = $1", Self.binds(status.rawValue))
    }

    /// The run's state, its row locked until the transaction ends.
    private func state(_ connection: PostgresConnection, for change: JournalChange) async throws -> RunState? {
        guard let id = change.runID?.rawValue,
              let text = try await scalar(connection, "SELECT status FROM \(s).runs WHERE id = $1 FOR UPDATE", Self.binds(id)) else { return nil }
        guard let status = RunStatus(rawValue: text) else {
            throw DSARError(.ledgerFailure, "run \(id.prefix(40)) has an unknown status in the journal")
        }
        var state = RunState(status: status)
        if let index = change.stepIndex {
            state.step = try await scalar(connection, "SELECT status FROM \(s).steps WHERE run_id = $1 AND idx = $2",
                                          Self.binds(id, Int32(index))).flatMap(StepStatus.init(rawValue:))
        }
        if change.needsStepCounts {
            let counts = try await connection.query(PostgresQuery(unsafeSQL: """
                SELECT count(*) FILTER (WHERE status = 'done'), count(*) FROM \(s).steps WHERE run_id = $1
                """, binds: Self.binds(id)), logger: logger)
            for try await (done, total) in counts.decode((Int64, Int64).self) {
                state.doneSteps = Int(done)
                state.totalSteps = Int(total)
            }
        }
        return state
    }

    private func store(_ change: JournalChange, _ connection: PostgresConnection) async throws {
        let query: PostgresQuery
        switch change {
        case .begin(let id, let plan, let steps, let date):
            try await connection.query(PostgresQuery(unsafeSQL: "INSERT INTO \(s).runs (id, created_at, status, plan) VALUES ($1, $2, $3, $4)",
                                                     binds: Self.binds(id.rawValue, Self.timestamp(date), RunStatus.executing.rawValue, plan)),
                                       logger: logger)
            try await insertSteps(connection, runID: id.rawValue, indexes: steps)
            return
        case .replan(let id, let plan, let pending):
            try await connection.query(PostgresQuery(unsafeSQL: "UPDATE \(s).runs SET plan = $1 WHERE id = $2", binds: Self.binds(plan, id.rawValue)),
                                       logger: logger)
            try await connection.query(PostgresQuery(unsafeSQL: "DELETE FROM \(s).steps WHERE run_id = $1 AND status <> 'done'",
                                                     binds: Self.binds(id.rawValue)), logger: logger)
            try await insertSteps(connection, runID: id.rawValue, indexes: pending)
            return
        case .step(let id, let index, let status):
            var binds = Self.binds(status.rawValue, id.rawValue)
            binds.append(Int32(index))
            query = PostgresQuery(unsafeSQL: "UPDATE \(s).steps SET status = $1 WHERE run_id = $2 AND idx = $3", binds: binds)
        case .close(let id, let status, let certificate, let date):
            var binds = PostgresBindings()
            binds.append(status.rawValue)
            binds.append(certificate)
            binds.append(Self.timestamp(date))
            binds.append(id.rawValue)
            query = PostgresQuery(unsafeSQL: "UPDATE \(s).runs SET status = $1, certificate = $2, plan = NULL, finished_at = $3 WHERE id = $4",
                                  binds: binds)
        case .note:
            return
        }
        try await connection.query(query, logger: logger)
    }

    // MARK: Audit

    public func auditEntries() async throws -> [AuditEntry] {
        try await prepare()
        do {
            let rows = try await client.query(PostgresQuery(unsafeSQL: """
                SELECT seq, at, run_id, event, detail, previous_hash, hash FROM \(s).audit ORDER BY seq
                """), logger: logger)
            var entries: [AuditEntry] = []
            for try await (seq, at, runID, event, detail, previous, hash) in rows.decode((Int64, String, String?, String, String, String, String).self) {
                entries.append(.stored(sequence: seq, at: at, runID: runID, event: event, detail: detail, previousHash: previous, hash: hash))
            }
            return entries
        } catch {
            throw failure(error, "the ledger could not be read")
        }
    }

    public func auditHead() async throws -> String {
        try await prepare()
        return try await read("SELECT hash FROM \(s).audit ORDER BY seq DESC LIMIT 1", Self.binds()).first ?? AuditEntry.genesisHash
    }

    /// Appends one entry on its own (``ErasureLedger/audit(_:runID:detail:at:)`` with plain texts).
    public func audit(runID: String?, event: String, detail: String, at date: Date) async throws {
        try await audit(AuditEvent(rawValue: event), runID: runID.map(RunID.init(rawValue:)), detail: detail, at: date)
    }

    /// Appends one audit entry inside `connection`'s transaction. The advisory lock makes
    /// appends from every process take turns until their transaction ends.
    func append(_ connection: PostgresConnection, runID: String?, event: String, detail: String, at date: Date) async throws {
        try await connection.query("SELECT pg_advisory_xact_lock(hashtext(\("dsarkit-audit-" + schema)))", logger: logger)
        let last = try await connection.query(PostgresQuery(unsafeSQL: "SELECT seq, hash FROM \(s).audit ORDER BY seq DESC LIMIT 1"), logger: logger)
        var previous: (sequence: Int64, hash: String)?
        for try await (seq, hash) in last.decode((Int64, String).self) { previous = (seq, hash) }
        guard let key = try keys.existingAuditKey() else {
            throw DSARError(.signingKeyMissing, "there is no masking key in \(keys.folder.path) to seal the audit log with")
        }
        let entry = AuditEntry.chained(after: previous, at: date, runID: runID, event: event, detail: detail, key: key)
        var binds = PostgresBindings()
        binds.append(entry.sequence)
        binds.append(entry.at)
        binds.append(entry.runID)
        binds.append(entry.event)
        binds.append(entry.detail)
        binds.append(entry.previousHash)
        binds.append(entry.hash)
        try await connection.query(PostgresQuery(unsafeSQL: """
            INSERT INTO \(s).audit (seq, at, run_id, event, detail, previous_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7)
            """, binds: binds), logger: logger)
        let anchor = AuditVerification.anchor(sequence: entry.sequence, hash: entry.hash, key: key)
        try await connection.query(PostgresQuery(unsafeSQL: """
            INSERT INTO \(s).meta (name, value) VALUES ('audit-head', $1) ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value
            """, binds: Self.binds(anchor)), logger: logger)
    }

    /// Checks the chain, its seals, and the sealed anchor of the newest entry the ledger keeps
    /// in its `meta` table (`audit-head`), written in the same transaction as each entry.
    public func checkAudit() async throws -> AuditVerification {
        let entries = try await auditEntries()
        let anchor = try await read("SELECT value FROM \(s).meta WHERE name = 'audit-head'", Self.binds()).first
        return AuditVerification.check(entries, key: try keys.existingAuditKey(), anchor: anchor,
                                       anchorName: "meta 'audit-head' of ledger \(schema)")
    }

    // MARK: Helpers

    private func insertSteps(_ connection: PostgresConnection, runID: String, indexes: [Int]) async throws {
        guard !indexes.isEmpty else { return }
        var binds = PostgresBindings()
        binds.append(runID)
        binds.append(indexes.map { Int32($0) })
        try await connection.query(PostgresQuery(unsafeSQL: """
            INSERT INTO \(s).steps (run_id, idx, status) SELECT $1, i, 'pending' FROM unnest($2::int4[]) AS i
            """, binds: binds), logger: logger)
    }

    private func journalRuns(where condition: String, _ binds: PostgresBindings) async throws -> [JournalRecord] {
        try await prepare()
        var found: [(String, String, String?, String?)] = []
        var done: [String: Set<Int>] = [:]
        do {
            let rows = try await client.query(PostgresQuery(unsafeSQL: """
                SELECT id, status, plan, certificate FROM \(s).runs WHERE \(condition) ORDER BY position
                """, binds: binds), logger: logger)
            for try await row in rows.decode((String, String, String?, String?).self) { found.append(row) }
            if !found.isEmpty {
                var stepBinds = PostgresBindings()
                stepBinds.append(found.map(\.0))
                let steps = try await client.query(PostgresQuery(unsafeSQL: """
                    SELECT run_id, idx FROM \(s).steps WHERE run_id = ANY($1) AND status = 'done'
                    """, binds: stepBinds), logger: logger)
                for try await (id, index) in steps.decode((String, Int32).self) { done[id, default: []].insert(Int(index)) }
            }
        } catch {
            throw failure(error, "the ledger could not be read")
        }
        return try found.map { id, text, plan, certificate in
            guard let status = RunStatus(rawValue: text) else {
                throw DSARError(.ledgerFailure, "run \(id.prefix(40)) has an unknown status in the journal", location: "ledger")
            }
            return JournalRecord(id: RunID(id), status: status, plan: plan, done: done[id] ?? [], certificate: certificate)
        }
    }

    func read(_ sql: String, _ binds: PostgresBindings) async throws -> [String] {
        do {
            let rows = try await client.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
            var values: [String] = []
            for try await value in rows.decode(String.self) { values.append(value) }
            return values
        } catch {
            throw failure(error, "the ledger could not be read")
        }
    }

    func scalar(_ connection: PostgresConnection, _ sql: String, _ binds: PostgresBindings) async throws -> String? {
        let rows = try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
        var value: String?
        for try await text in rows.decode(String.self) { value = text }
        return value
    }

    func execute(_ sql: String, _ binds: PostgresBindings) async throws {
        do {
            try await client.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
        } catch {
            throw failure(error, "the ledger could not be written")
        }
    }

    /// Runs `body` in a transaction; errors become ``DSARError/Code/ledgerFailure`` without
    /// the server's message (it may quote values).
    func transaction<T: Sendable>(_ message: String, _ body: (PostgresConnection) async throws -> T) async throws -> T {
        do {
            return try await client.withTransaction(logger: logger) { connection in try await body(connection) }
        } catch {
            let error = PostgresStore.unwrapped(error)
            if let error = error as? DSARError { throw error }
            throw failure(error, message)
        }
    }

    func failure(_ error: any Error, _ message: String) -> DSARError {
        let store = PostgresStore.failure(error, message, location: "ledger \(schema) at \(address)")
        return DSARError(.ledgerFailure, store.message, location: store.location, cause: error)
    }

    static func binds(_ texts: String...) -> PostgresBindings {
        var binds = PostgresBindings()
        for text in texts { binds.append(text) }
        return binds
    }

    static func binds(_ text: String, _ number: Int32) -> PostgresBindings {
        var binds = PostgresBindings()
        binds.append(text)
        binds.append(number)
        return binds
    }

    static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
