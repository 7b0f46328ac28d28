import Foundation
import GRDB

extension APIDatabase {
    /// Marks the runs still queued or running (a server stopped under them) interrupted; how many.
    func markInterruptedRuns() throws -> Int {
        try queue.write { db in
            try db.execute(sql: "UPDATE console_runs SET state = 'interrupted' WHERE state IN ('queued', 'running')")
            return db.changesCount
        }
    }

    /// Records the latest run of a request (one row per request).
    func saveRun(_ job: RunJob) async throws {
        try await queue.write { db in
            try db.execute(sql: """
                INSERT OR REPLACE INTO console_runs (request_id, kind, officer, state, started_at, failure)
                VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [job.requestID, job.kind.rawValue, job.officer, job.state.rawValue,
                                 job.startedAt.timeIntervalSince1970, job.failure])
        }
    }

    func run(of requestID: String) async throws -> RunJob? {
        try await queue.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM console_runs WHERE request_id = ?", arguments: [requestID]),
                  let kind = RunJob.Kind(rawValue: row["kind"]), let state = RunJob.State(rawValue: row["state"]) else { return nil }
            return RunJob(requestID: requestID, kind: kind, officer: row["officer"], state: state, phase: state.rawValue,
                          done: 0, total: 0, failure: row["failure"], startedAt: Date(timeIntervalSince1970: row["started_at"]))
        }
    }
}
