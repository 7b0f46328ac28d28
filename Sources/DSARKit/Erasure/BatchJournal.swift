import Crypto
import Foundation
import GRDB

/// The journal of batches in the local ledger (its own tables, beside the runs): a batch is
/// recorded as a whole when it starts (one write for all its subjects), then each subject's
/// state as it is erased, so that `dsar erase --resume` can finish a batch that was
/// interrupted and running the same batch file again skips the subjects already done.
///
/// Subjects are named by an HMAC of their identifiers (the ledger's ``MaskingKey``); their
/// identifiers are encrypted with the ledger's ``SealingKey`` and purged once the subject is
/// done or failed. The audit log names batches by id and counts only.
public final class BatchJournal: Sendable {
    public let ledger: Ledger
    let sealingKey: SealingKey
    let hmacKey: MaskingKey

    public init(ledger: Ledger) throws {
        self.ledger = ledger
        sealingKey = try ledger.sealingKey()
        hmacKey = try ledger.maskingKey()
        try ledger.write { db in
            try db.execute(sql: """
                CREATE TABLE IF NOT EXISTS batch_jobs (
                    id TEXT PRIMARY KEY,
                    created_at TEXT NOT NULL,
                    file_digest TEXT NOT NULL,
                    file_path TEXT NOT NULL,
                    outcomes_path TEXT NOT NULL,
                    only_basis TEXT,
                    status TEXT NOT NULL,
                    finished_at TEXT
                );
                CREATE TABLE IF NOT EXISTS batch_subjects (
                    job_id TEXT NOT NULL REFERENCES batch_jobs(id),
                    position INTEGER NOT NULL,
                    line INTEGER NOT NULL,
                    digest TEXT NOT NULL,
                    identifiers BLOB,
                    state TEXT NOT NULL,
                    run_id TEXT,
                    outcome TEXT,
                    PRIMARY KEY (job_id, position)
                );
                CREATE INDEX IF NOT EXISTS batch_subjects_digest ON batch_subjects (digest, state);
                """)
        }
    }

    /// SHA-256 of a batch file's bytes, hex.
    public static func fileDigest(_ data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    /// The subject digest of an entry.
    public func digest(of subject: DataSubject) -> String {
        hmacKey.subjectDigest(subject.identifiers.map(\.description))
    }

    /// Records a batch about to run, all its subjects pending, in one write. When an
    /// unfinished job of the same file (same digest) exists, that job is continued instead
    /// (its outcome file moved to `outcomesPath`); an unfinished job of another file is
    /// refused: `dsar erase --resume` finishes it first.
    public func start(_ batch: ErasureBatch, fileDigest: String, filePath: String, outcomesPath: String,
                      onlyBasis: LawfulBasis?, at date: Date) throws -> BatchJob {
        let id = "batch-" + UUID().uuidString.lowercased()
        let sealing = sealingKey
        let subjects = try batch.entries.enumerated().map { position, entry in
            (position, entry.line, digest(of: entry.subject),
             try sealing.seal(entry.subject.identifiers.map(\.description).joined(separator: "\n"), context: "\(id)/\(position)"))
        }
        let auditKey = try ledger.auditKey()
        let jobID: String = try ledger.write { db in
            if let open = try Row.fetchOne(db, sql: "SELECT id, file_digest FROM batch_jobs WHERE status = 'running' ORDER BY created_at LIMIT 1") {
                let openID: String = open["id"]
                guard (open["file_digest"] as String) == fileDigest else {
                    throw DSARError(.interruptedRuns, "batch \(openID) was interrupted and is not finished; finish it first " +
                                    "(`dsar erase --resume`)")
                }
                try db.execute(sql: "UPDATE batch_jobs SET outcomes_path = ?, file_path = ? WHERE id = ?",
                               arguments: [outcomesPath, filePath, openID])
                try AuditLog.append(db, key: auditKey, runID: nil, event: "batch.continued", detail: "batch \(openID) run again from its file",
                                    at: ISO8601.timestamp(date))
                return openID
            }
            try db.execute(sql: """
                INSERT INTO batch_jobs (id, created_at, file_digest, file_path, outcomes_path, only_basis, status)
                VALUES (?, ?, ?, ?, ?, ?, 'running')
                """, arguments: [id, ISO8601.timestamp(date), fileDigest, filePath, outcomesPath, onlyBasis?.rawValue])
            for (position, line, digest, sealed) in subjects {
                try db.execute(sql: """
                    INSERT INTO batch_subjects (job_id, position, line, digest, identifiers, state) VALUES (?, ?, ?, ?, ?, 'pending')
                    """, arguments: [id, position, line, digest, sealed])
            }
            try AuditLog.append(db, key: auditKey, runID: nil, event: "batch.started",
                                detail: "batch \(id): \(subjects.count) subjects; file sha256 \(fileDigest.prefix(16))",
                                at: ISO8601.timestamp(date))
            return id
        }
        guard let job = try self.job(jobID) else { throw DSARError(.ledgerFailure, "batch \(jobID) cannot be read", location: ledger.url.path) }
        return job
    }

    /// Batches started and not finished, oldest first.
    public func unfinishedJobs() throws -> [BatchJob] {
        let ids = try ledger.read { try String.fetchAll($0, sql: "SELECT id FROM batch_jobs WHERE status = 'running' ORDER BY created_at, rowid") }
        return try ids.compactMap { try job($0) }
    }

    /// The job `id` with its subjects in batch order.
    public func job(_ id: String) throws -> BatchJob? {
        try ledger.read { db -> BatchJob? in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM batch_jobs WHERE id = ?", arguments: [id]) else { return nil }
            let subjects = try Row.fetchAll(db, sql: """
                SELECT position, line, digest, state, run_id, outcome FROM batch_subjects WHERE job_id = ? ORDER BY position
                """, arguments: [id]).map { subject in
                BatchJob.Subject(position: subject["position"], line: subject["line"], digest: subject["digest"], state: subject["state"],
                                 runID: subject["run_id"], outcome: try (subject["outcome"] as String?).map(Self.decode))
            }
            return BatchJob(id: id, fileDigest: row["file_digest"], filePath: row["file_path"], outcomesPath: row["outcomes_path"],
                            onlyBasis: (row["only_basis"] as String?).flatMap(LawfulBasis.init(rawValue:)), subjects: subjects)
        }
    }

    /// The subject's identifiers (`type:value` texts), or `nil` when they were purged or
    /// cannot be decrypted (the requests key replaced).
    public func identifiers(of subject: BatchJob.Subject, in job: BatchJob) throws -> [String]? {
        let blob = try ledger.read {
            try Data.fetchOne($0, sql: "SELECT identifiers FROM batch_subjects WHERE job_id = ? AND position = ?",
                              arguments: [job.id, subject.position])
        }
        guard let blob, let text = try? sealingKey.open(blob, context: "\(job.id)/\(subject.position)") else { return nil }
        return text.split(separator: "\n").map(String.init)
    }

    /// Records the run about to erase the subject, before it is journaled.
    public func markRunning(_ subject: BatchJob.Subject, of job: BatchJob, runID: String) throws {
        try ledger.write { db in
            try db.execute(sql: "UPDATE batch_subjects SET state = 'running', run_id = ? WHERE job_id = ? AND position = ?",
                           arguments: [runID, job.id, subject.position])
        }
    }

    /// Records the runs about to erase several subjects (a group), in one write.
    public func markRunning(_ subjects: [(BatchJob.Subject, String)], of job: BatchJob) throws {
        try ledger.write { db in
            for (subject, runID) in subjects {
                try db.execute(sql: "UPDATE batch_subjects SET state = 'running', run_id = ? WHERE job_id = ? AND position = ?",
                               arguments: [runID, job.id, subject.position])
            }
        }
    }

    /// Records the subject's outcome (`done`, or `failed` when the outcome is) and forgets
    /// its identifiers.
    public func markFinished(_ subject: BatchJob.Subject, of job: BatchJob, outcome: BatchOutcome) throws {
        try markFinished([(subject, outcome)], of: job)
    }

    /// Records several subjects' outcomes (a group) in one write, as ``markFinished(_:of:outcome:)``.
    public func markFinished(_ outcomes: [(BatchJob.Subject, BatchOutcome)], of job: BatchJob) throws {
        guard !outcomes.isEmpty else { return }
        let rows = try outcomes.map { ($0.0, $0.1, try Self.encode($0.1)) }
        try ledger.write { db in
            for (subject, outcome, json) in rows {
                try db.execute(sql: """
                    UPDATE batch_subjects SET state = ?, run_id = ?, outcome = ?, identifiers = NULL WHERE job_id = ? AND position = ?
                    """, arguments: [outcome.status == "failed" ? "failed" : "done", outcome.requestID, json, job.id, subject.position])
            }
        }
    }

    /// Closes a job. `neverStarted` subjects could not be erased because their identifiers
    /// could not be recovered: the job is closed anyway (running the same file again erases them).
    public func finish(_ job: BatchJob, neverStarted: Int, at date: Date) throws {
        let auditKey = try ledger.auditKey()
        try ledger.write { db in
            let counts = try Row.fetchAll(db, sql: "SELECT state, count(*) AS n FROM batch_subjects WHERE job_id = ? GROUP BY state",
                                          arguments: [job.id])
                .map { "\($0["n"] as Int) \($0["state"] as String)" }.joined(separator: ", ")
            try db.execute(sql: "UPDATE batch_jobs SET status = ?, finished_at = ? WHERE id = ?",
                           arguments: [neverStarted > 0 ? "stopped" : "finished", ISO8601.timestamp(date), job.id])
            try db.execute(sql: "UPDATE batch_subjects SET identifiers = NULL WHERE job_id = ?", arguments: [job.id])
            try AuditLog.append(db, key: auditKey, runID: nil, event: neverStarted > 0 ? "batch.stopped" : "batch.finished",
                                detail: "batch \(job.id): \(counts)" + (neverStarted > 0 ? "; \(neverStarted) never started" : ""),
                                at: ISO8601.timestamp(date))
        }
    }

    /// The outcome of a completed erasure of the subject with `digest` in an earlier job of
    /// the same batch file, and that job's id.
    public func completed(digest: String, fileDigest: String, excluding jobID: String) throws -> (job: String, outcome: BatchOutcome)? {
        let row = try ledger.read { db -> (String, String?)? in
            try Row.fetchOne(db, sql: """
                SELECT s.job_id, s.outcome FROM batch_subjects s JOIN batch_jobs j ON j.id = s.job_id
                WHERE s.digest = ? AND s.state = 'done' AND j.file_digest = ? AND j.id <> ?
                ORDER BY j.created_at DESC, j.rowid DESC
                """, arguments: [digest, fileDigest, jobID]).map { ($0["job_id"], $0["outcome"]) }
        }
        guard let row, let json = row.1, let outcome = try? Self.decode(json), outcome.status == "completed" else {
            return nil
        }
        return (row.0, outcome)
    }

    private static func encode(_ outcome: BatchOutcome) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(outcome), as: UTF8.self)
    }

    private static func decode(_ json: String) throws -> BatchOutcome {
        try JSONDecoder().decode(BatchOutcome.self, from: Data(json.utf8))
    }
}
