import DSARKit
import Foundation
import Logging
import PostgresNIO

/// The result of one queued subject, as a worker records it in the queue (and `dsar worker`
/// prints it). It names the subject by request id and batch line only.
public struct QueueOutcome: Sendable, Codable, Hashable {
    public var requestID: String
    public var line: Int?
    /// `completed`, `incomplete` or `failed`.
    public var status: String
    public var deleted = 0
    public var masked = 0
    public var held = 0
    public var filesDeleted = 0
    /// Whether the run had been started by another worker and was resumed from the journal.
    public var resumed = false
    public var error: String?
}

/// What a worker did before it stopped.
public struct WorkerSummary: Sendable {
    public var completed = 0
    public var incomplete = 0
    public var failed = 0
    public var resumed = 0
    public var total: Int { completed + incomplete + failed }
}

extension PostgresLedger {
    /// Puts subjects on the queue, each with its request id (the id of its future run), in
    /// chunks of 1,000 rows. `identifiers` are the `type:value` texts of each subject;
    /// `line` its line in the batch file. Returns the request ids in order.
    @discardableResult
    public func enqueue(_ subjects: [(identifiers: [String], line: Int)], onlyBasis: LawfulBasis? = nil) async throws -> [String] {
        try await prepare()
        var ids: [String] = []
        for start in stride(from: 0, to: subjects.count, by: 1000) {
            let chunk = subjects[start..<min(start + 1000, subjects.count)]
            let chunkIDs = chunk.map { _ in UUID().uuidString.lowercased() }
            var binds = PostgresBindings()
            binds.append(chunkIDs)
            binds.append(try chunk.map { String(decoding: try JSONEncoder().encode($0.identifiers), as: UTF8.self) })
            binds.append(chunk.map { Int32($0.line) })
            binds.append(onlyBasis?.rawValue)
            try await execute("""
                INSERT INTO \(s).queue (request_id, identifiers, line, only_basis)
                SELECT r, i, l, $4 FROM unnest($1::text[], $2::text[], $3::int4[]) AS u(r, i, l)
                """, binds)
            ids += chunkIDs
        }
        return ids
    }

    /// Puts subjects whose erasure failed back on the queue (their runs resume where they
    /// stopped). Returns how many.
    @discardableResult
    public func requeueFailed() async throws -> Int {
        try await prepare()
        let sql = "WITH requeued AS (UPDATE \(s).queue SET status = 'queued', error = NULL, outcome = NULL WHERE status = 'failed' RETURNING 1) " +
            "SELECT count(*)::text FROM requeued"
        return Int(try await read(sql, PostgresBindings()).first ?? "0") ?? 0
    }

    /// Queue rows by status (`queued`, `completed`, `incomplete`, `failed`).
    public func queueCounts() async throws -> [String: Int] {
        try await prepare()
        var counts: [String: Int] = [:]
        for row in try await read("SELECT status || ' ' || count(*) FROM \(s).queue GROUP BY status", PostgresBindings()) {
            let parts = row.split(separator: " ")
            if parts.count == 2 { counts[String(parts[0])] = Int(parts[1]) }
        }
        return counts
    }

    /// Every recorded outcome, in queue order.
    public func queueOutcomes() async throws -> [QueueOutcome] {
        try await prepare()
        return try await read("SELECT outcome FROM \(s).queue WHERE outcome IS NOT NULL ORDER BY id", PostgresBindings()).map {
            try JSONDecoder().decode(QueueOutcome.self, from: Data($0.utf8))
        }
    }
}

/// Takes subjects off a ``PostgresLedger``'s queue and erases them, several at a time, with
/// as many worker processes on as many machines as you like.
///
/// A subject is taken with `SELECT … FOR UPDATE SKIP LOCKED` inside a transaction that
/// stays open while it is erased: its row lock is the lease. When the worker dies (even by
/// SIGKILL) its connection closes, PostgreSQL rolls the transaction back and the row is free
/// again; the next worker that takes it finds the run in the shared journal and resumes it
/// (or, if the run had finished, only records its outcome), so every subject is erased once.
public struct ErasureWorker: Sendable {
    public let erasure: Erasure
    public let ledger: PostgresLedger
    /// Written to the queue row (host and process id by default).
    public var name: String
    public var logger: Logger

    public init(erasure: Erasure, ledger: PostgresLedger, name: String? = nil, logger: Logger = Logger(label: "dsar.worker")) {
        self.erasure = erasure
        self.ledger = ledger
        self.name = name ?? "\(ProcessInfo.processInfo.hostName):\(getpid())"
        self.logger = logger
    }

    enum Turn: Sendable {
        case processed(QueueOutcome)
        /// Nothing free to take; `waiting` subjects are held by other workers.
        case nothingFree(waiting: Int)
    }

    /// Works the queue with `concurrency` subjects at a time. With `untilEmpty`, returns once
    /// no subject is queued any more (including those other workers hold: if one of them dies,
    /// its subject comes back and is taken here); without it, polls forever.
    public func run(concurrency: Int = 1, untilEmpty: Bool, pollInterval: Duration = .milliseconds(250),
                    report: @escaping @Sendable (QueueOutcome) -> Void = { _ in }) async throws -> WorkerSummary {
        _ = try erasure.ledger.signingKey()
        try await ledger.prepare()
        return try await withThrowingTaskGroup(of: WorkerSummary.self) { group in
            for _ in 0..<max(1, concurrency) {
                group.addTask {
                    var summary = WorkerSummary()
                    while !Task.isCancelled {
                        switch try await takeOne() {
                        case .processed(let outcome):
                            switch outcome.status {
                            case "completed": summary.completed += 1
                            case "incomplete": summary.incomplete += 1
                            default: summary.failed += 1
                            }
                            if outcome.resumed { summary.resumed += 1 }
                            report(outcome)
                        case .nothingFree(let waiting):
                            if untilEmpty, waiting == 0 { return summary }
                            try await Task.sleep(for: pollInterval)
                        }
                    }
                    return summary
                }
            }
            var total = WorkerSummary()
            for try await part in group {
                total.completed += part.completed
                total.incomplete += part.incomplete
                total.failed += part.failed
                total.resumed += part.resumed
            }
            return total
        }
    }

    /// Erases the queued subject `requestID` now, in this process, the way a worker would
    /// (`dsar erase --execute` with a shared ledger): if this process dies, any worker resumes
    /// it. `nil` when that subject is not queued or another worker holds it.
    public func process(requestID: String) async throws -> QueueOutcome? {
        _ = try erasure.ledger.signingKey()
        guard case .processed(let outcome) = try await takeOne(requestID: requestID) else { return nil }
        return outcome
    }

    /// Takes one subject (the oldest, or `requestID`), erases (or resumes) it and records
    /// the outcome, all under the queue row's lock.
    func takeOne(requestID wanted: String? = nil) async throws -> Turn {
        let (ledger, s, logger) = (self.ledger, self.ledger.s, self.logger)
        let turn: Turn = try await ledger.transaction("the queue could not be worked") { connection in
            var selection = PostgresBindings()
            if let wanted { selection.append(wanted) }
            let rows = try await connection.query(PostgresQuery(unsafeSQL: """
                SELECT id, request_id, identifiers, only_basis, line FROM \(s).queue
                WHERE status = 'queued' \(wanted == nil ? "" : "AND request_id = $1") ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED
                """, binds: selection), logger: logger)
            var item: (Int64, String, String?, String?, Int32?)?
            for try await row in rows.decode((Int64, String, String?, String?, Int32?).self) { item = row }
            guard let item else {
                let waiting = try await ledger.scalar(connection, "SELECT count(*)::text FROM \(s).queue WHERE status = 'queued'", PostgresBindings())
                return .nothingFree(waiting: Int(waiting ?? "0") ?? 0)
            }
            let (id, requestID, identifiers, basis, line) = item
            let outcome = await process(requestID: requestID, identifiers: identifiers, basis: basis, line: line.map(Int.init))
            var binds = PostgresBindings()
            binds.append(outcome.status)
            binds.append(name)
            binds.append(String(decoding: try JSONEncoder().encode(outcome), as: UTF8.self))
            binds.append(outcome.error)
            binds.append(id)
            // A finished subject's identifiers are purged: the queue keeps no personal data.
            try await connection.query(PostgresQuery(unsafeSQL: """
                UPDATE \(s).queue SET status = $1, worker = $2, outcome = $3, error = $4, finished_at = now(),
                    identifiers = CASE WHEN $1 = 'failed' THEN identifiers END
                WHERE id = $5
                """, binds: binds), logger: logger)
            return .processed(outcome)
        }
        return turn
    }

    /// Erases one subject, resumes its run, or reads the outcome of a run that finished
    /// before the previous worker could record it.
    func process(requestID: String, identifiers: String?, basis: String?, line: Int?) async -> QueueOutcome {
        var outcome = QueueOutcome(requestID: requestID, line: line, status: "failed")
        do {
            switch try await ledger.runStatus(RunID(requestID)) {
            case nil:
                guard let identifiers, let texts = try? JSONDecoder().decode([String].self, from: Data(identifiers.utf8)) else {
                    throw DSARError(.ledgerFailure, "the queued subject cannot be read", location: "queue")
                }
                let subject = try DataSubject(parsing: texts, catalog: erasure.catalog)
                record(try await erasure.execute(subject, onlyBasis: basis.flatMap(LawfulBasis.init(rawValue:)), requestID: requestID).certificate,
                       into: &outcome)
            case .executing:
                guard let journal = try await ledger.unfinishedRun(RunID(requestID)) else {
                    throw DSARError(.ledgerFailure, "the journal of run \(requestID) cannot be read", location: "queue")
                }
                logger.notice("resuming a subject another worker left unfinished", metadata: ["request": "\(requestID)"])
                outcome.resumed = true
                record(try await erasure.resume(journal).certificate, into: &outcome)
            case .completed, .incomplete:
                outcome.resumed = true
                guard let json = try await ledger.certificate(of: RunID(requestID)) else {
                    throw DSARError(.ledgerFailure, "the certificate of run \(requestID) is missing", location: "queue")
                }
                record(try JSONDecoder().decode(ErasureCertificate.self, from: Data(json.utf8)), into: &outcome)
            case .abandoned:
                throw DSARError(.ledgerFailure, "run \(requestID) was abandoned", location: "queue")
            }
        } catch {
            outcome.status = "failed"
            outcome.error = (error as? DSARError)?.description ?? "unexpected failure"
            logger.error("a queued subject failed", metadata: ["request": "\(requestID)", "code": "\((error as? DSARError)?.code.description ?? "?")"])
        }
        return outcome
    }

    private func record(_ certificate: ErasureCertificate, into outcome: inout QueueOutcome) {
        outcome.status = certificate.verification.hasPrefix("complete") ? "completed" : "incomplete"
        outcome.deleted = certificate.collections.map(\.deleted).reduce(0, +)
        outcome.masked = certificate.collections.map(\.masked).reduce(0, +)
        outcome.held = certificate.collections.map(\.held).reduce(0, +)
        outcome.filesDeleted = certificate.filesDeleted
    }
}
