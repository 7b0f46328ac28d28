import Foundation
import GRDB

/// An unfinished run read back from the journal.
public struct JournalRun: Sendable {
    public var plan: ErasurePlan
    /// Steps whose store change committed.
    public var done: Set<Int>

    public init(plan: ErasurePlan, done: Set<Int>) {
        self.plan = plan
        self.done = done
    }
}

extension Ledger {
    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()

    /// Writes the plan and its steps (all pending) before anything is changed.
    public func begin(_ plan: ErasurePlan, at date: Date) throws {
        let json = String(decoding: try Self.encoder.encode(plan), as: UTF8.self)
        let key = try auditKey()
        try write { db in
            try db.execute(sql: "INSERT INTO runs (id, created_at, status, plan) VALUES (?, ?, 'executing', ?)",
                           arguments: [plan.requestID, ISO8601.timestamp(date), json])
            for step in plan.steps {
                try db.execute(sql: "INSERT INTO steps (run_id, idx, status) VALUES (?, ?, 'pending')",
                               arguments: [plan.requestID, step.index])
            }
            let scope = plan.onlyBasis.map { "only rows with basis \($0.rawValue)" } ?? "full erasure"
            try AuditLog.append(db, key: key, runID: plan.requestID, event: "run.planned",
                                detail: "\(scope); \(plan.steps.count) steps; \(plan.collections.count) collections",
                                at: ISO8601.timestamp(date))
        }
    }

    /// Replaces the steps not yet done with those of a new plan (the data changed).
    public func replan(_ plan: ErasurePlan, keeping done: Set<Int>, reason: String, at date: Date) throws {
        let json = String(decoding: try Self.encoder.encode(plan), as: UTF8.self)
        let key = try auditKey()
        try write { db in
            try db.execute(sql: "UPDATE runs SET plan = ? WHERE id = ?", arguments: [json, plan.requestID])
            try db.execute(sql: "DELETE FROM steps WHERE run_id = ? AND status != 'done'", arguments: [plan.requestID])
            for step in plan.steps where !done.contains(step.index) {
                try db.execute(sql: "INSERT INTO steps (run_id, idx, status) VALUES (?, ?, 'pending')",
                               arguments: [plan.requestID, step.index])
            }
            try AuditLog.append(db, key: key, runID: plan.requestID, event: "run.replanned",
                                detail: "\(reason); \(plan.steps.count - done.count) steps remain", at: ISO8601.timestamp(date))
        }
    }

    /// Records that a step is about to change its store (a file about to be unlinked).
    public func markStarted(_ runID: String, step: Int) throws {
        try write { db in
            try db.execute(sql: "UPDATE steps SET status = 'started' WHERE run_id = ? AND idx = ? AND status = 'pending'",
                           arguments: [runID, step])
        }
    }

    /// Records that a step's change committed.
    public func markDone(_ runID: String, step: ErasureStep, at date: Date) throws {
        let key = try auditKey()
        try write { db in
            try db.execute(sql: "UPDATE steps SET status = 'done' WHERE run_id = ? AND idx = ?", arguments: [runID, step.index])
            try AuditLog.append(db, key: key, runID: runID, event: "step.done", detail: "step \(step.index + 1): \(step.summary)",
                                at: ISO8601.timestamp(date))
        }
    }

    /// Records a failed step; the run stays unfinished and resumable.
    public func markFailed(_ runID: String, step: ErasureStep, error: DSARError, at date: Date) throws {
        let key = try auditKey()
        try write { db in
            try AuditLog.append(db, key: key, runID: runID, event: "step.failed",
                                detail: "step \(step.index + 1): \(step.summary): \(error.code)", at: ISO8601.timestamp(date))
        }
    }

    /// Closes a run: stores the certificate, purges the plan (it names records and files).
    public func finish(_ runID: String, status: String, certificate: String, detail: String, at date: Date) throws {
        let key = try auditKey()
        try write { db in
            try db.execute(sql: "UPDATE runs SET status = ?, certificate = ?, plan = NULL, finished_at = ? WHERE id = ?",
                           arguments: [status, certificate, ISO8601.timestamp(date), runID])
            try AuditLog.append(db, key: key, runID: runID, event: "run.\(status)", detail: detail, at: ISO8601.timestamp(date))
        }
    }

    /// Gives up an unfinished run on purpose: it is closed as `abandoned` (the subject may be
    /// partly erased), its plan is purged, and the audit log says how far it got.
    public func abandon(_ runID: String, at date: Date = Date()) throws {
        let key = try auditKey()
        try write { db in
            guard try String.fetchOne(db, sql: "SELECT status FROM runs WHERE id = ?", arguments: [runID]) == "executing" else {
                throw DSARError(.ledgerFailure, "there is no unfinished erasure \(runID.prefix(40)) to abandon")
            }
            let done = try Int.fetchOne(db, sql: "SELECT count(*) FROM steps WHERE run_id = ? AND status = 'done'", arguments: [runID]) ?? 0
            let total = try Int.fetchOne(db, sql: "SELECT count(*) FROM steps WHERE run_id = ?", arguments: [runID]) ?? 0
            try db.execute(sql: "UPDATE runs SET status = 'abandoned', plan = NULL, finished_at = ? WHERE id = ?",
                           arguments: [ISO8601.timestamp(date), runID])
            try AuditLog.append(db, key: key, runID: runID, event: "run.abandoned",
                                detail: "\(done) of \(total) steps were done; the subject may be partly erased",
                                at: ISO8601.timestamp(date))
        }
    }

    /// Runs that were started and not finished, oldest first.
    public func unfinishedRuns() throws -> [JournalRun] {
        let rows = try read { db in
            try Row.fetchAll(db, sql: "SELECT id, plan FROM runs WHERE status = 'executing' ORDER BY created_at, rowid")
                .map { row -> (String, String?, [Int]) in
                    let id: String = row["id"]
                    let done = try Int.fetchAll(db, sql: "SELECT idx FROM steps WHERE run_id = ? AND status = 'done'", arguments: [id])
                    return (id, row["plan"], done)
                }
        }
        return try rows.map { id, json, done in
            guard let json, let plan = try? JSONDecoder().decode(ErasurePlan.self, from: Data(json.utf8)) else {
                throw DSARError(.ledgerFailure, "the journal of run \(id) cannot be read", location: url.path)
            }
            return JournalRun(plan: plan, done: Set(done))
        }
    }

    /// The stored certificate of a finished run.
    public func certificate(of runID: String) throws -> String? {
        try read { try String.fetchOne($0, sql: "SELECT certificate FROM runs WHERE id = ?", arguments: [runID]) }
    }
}
