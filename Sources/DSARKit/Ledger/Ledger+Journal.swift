import Foundation
import GRDB

/// The journal's storage primitives in SQLite (the rules are ``ErasureLedger``'s).
extension Ledger {
    public func commit(_ change: JournalChange, _ rules: @Sendable (RunState?) throws -> JournalDecision) throws {
        let key = try auditKey()
        try write { db in
            guard case .apply(let record) = try rules(try Self.state(db, for: change)) else { return }
            try Self.store(change, db)
            if let record {
                try AuditLog.append(db, key: key, runID: record.runID?.rawValue, event: record.event.rawValue, detail: record.detail,
                                    at: ISO8601.timestamp(record.at))
            }
        }
    }

    /// Every change in one write transaction.
    public func commit(_ changes: [JournalChange], _ rules: @Sendable (Int, RunState?) throws -> JournalDecision) throws {
        guard !changes.isEmpty else { return }
        let key = try auditKey()
        try write { db in
            for (position, change) in changes.enumerated() {
                guard case .apply(let record) = try rules(position, try Self.state(db, for: change)) else { continue }
                try Self.store(change, db)
                if let record {
                    try AuditLog.append(db, key: key, runID: record.runID?.rawValue, event: record.event.rawValue, detail: record.detail,
                                        at: ISO8601.timestamp(record.at))
                }
            }
        }
    }

    public func run(_ id: RunID) throws -> JournalRecord? {
        try read { db in try Self.records(db, where: "id = ?", [id.rawValue]).first }
    }

    public func runs(withStatus status: RunStatus) throws -> [JournalRecord] {
        try read { db in try Self.records(db, where: "status = ?", [status.rawValue]) }
    }

    /// The stored certificate of a finished run.
    public func certificate(of runID: String) throws -> String? {
        try run(RunID(runID))?.certificate
    }

    private static func state(_ db: Database, for change: JournalChange) throws -> RunState? {
        guard let id = change.runID?.rawValue,
              let text = try String.fetchOne(db, sql: "SELECT status FROM runs WHERE id = ?", arguments: [id]) else { return nil }
        guard let status = RunStatus(rawValue: text) else {
            throw DSARError(.ledgerFailure, "run \(id.prefix(40)) has an unknown status in the journal")
        }
        var state = RunState(status: status)
        if let index = change.stepIndex {
            state.step = try String.fetchOne(db, sql: "SELECT status FROM steps WHERE run_id = ? AND idx = ?", arguments: [id, index])
                .flatMap(StepStatus.init(rawValue:))
        }
        if change.needsStepCounts {
            state.doneSteps = try Int.fetchOne(db, sql: "SELECT count(*) FROM steps WHERE run_id = ? AND status = 'done'", arguments: [id])
            state.totalSteps = try Int.fetchOne(db, sql: "SELECT count(*) FROM steps WHERE run_id = ?", arguments: [id])
        }
        return state
    }

    private static func store(_ change: JournalChange, _ db: Database) throws {
        switch change {
        case .begin(let id, let plan, let steps, let date):
            try db.execute(sql: "INSERT INTO runs (id, created_at, status, plan) VALUES (?, ?, ?, ?)",
                           arguments: [id.rawValue, ISO8601.timestamp(date), RunStatus.executing.rawValue, plan])
            try insertPending(steps, of: id, db)
        case .replan(let id, let plan, let pending):
            try db.execute(sql: "UPDATE runs SET plan = ? WHERE id = ?", arguments: [plan, id.rawValue])
            try db.execute(sql: "DELETE FROM steps WHERE run_id = ? AND status != ?", arguments: [id.rawValue, StepStatus.done.rawValue])
            try insertPending(pending, of: id, db)
        case .step(let id, let index, let status):
            try db.execute(sql: "UPDATE steps SET status = ? WHERE run_id = ? AND idx = ?", arguments: [status.rawValue, id.rawValue, index])
        case .close(let id, let status, let certificate, let date):
            try db.execute(sql: "UPDATE runs SET status = ?, certificate = ?, plan = NULL, finished_at = ? WHERE id = ?",
                           arguments: [status.rawValue, certificate, ISO8601.timestamp(date), id.rawValue])
        case .note:
            break
        }
    }

    private static func insertPending(_ steps: [Int], of id: RunID, _ db: Database) throws {
        for index in steps {
            try db.execute(sql: "INSERT INTO steps (run_id, idx, status) VALUES (?, ?, ?)",
                           arguments: [id.rawValue, index, StepStatus.pending.rawValue])
        }
    }

    private static func records(_ db: Database, where condition: String, _ arguments: StatementArguments) throws -> [JournalRecord] {
        try Row.fetchAll(db, sql: "SELECT id, status, plan, certificate FROM runs WHERE \(condition) ORDER BY created_at, rowid",
                         arguments: arguments).map { row in
            let id: String = row["id"]
            guard let status = RunStatus(rawValue: row["status"]) else {
                throw DSARError(.ledgerFailure, "run \(id.prefix(40)) has an unknown status in the journal")
            }
            let done = try Int.fetchAll(db, sql: "SELECT idx FROM steps WHERE run_id = ? AND status = ?",
                                        arguments: [id, StepStatus.done.rawValue])
            return JournalRecord(id: RunID(id), status: status, plan: row["plan"], done: Set(done), certificate: row["certificate"])
        }
    }
}
