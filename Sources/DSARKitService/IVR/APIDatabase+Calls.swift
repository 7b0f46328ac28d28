import Foundation
import GRDB

extension APIDatabase {
    /// What happened to an IVR call id.
    enum CallClaim: Sendable, Equatable {
        /// New: open its request.
        case claimed
        /// Already answered with this request.
        case answered(String)
        /// Being answered by another request right now.
        case inProgress
    }

    /// Claims `callID` before its request is opened, so one call opens one request.
    func claimCall(_ callID: String, at time: String) async throws -> CallClaim {
        try await queue.write { db in
            try db.execute(sql: "INSERT OR IGNORE INTO ivr_calls (call_id, received_time) VALUES (?, ?)",
                           arguments: [callID, time])
            if db.changesCount == 1 { return .claimed }
            let existing = try String?.fetchOne(db, sql: "SELECT request_id FROM ivr_calls WHERE call_id = ?", arguments: [callID]) ?? nil
            return existing.map(CallClaim.answered) ?? .inProgress
        }
    }

    func attachCall(_ callID: String, requestID: String) async throws {
        try await queue.write { db in
            try db.execute(sql: "UPDATE ivr_calls SET request_id = ? WHERE call_id = ?", arguments: [requestID, callID])
        }
    }

    func releaseCall(_ callID: String) async throws {
        try await queue.write { db in
            try db.execute(sql: "DELETE FROM ivr_calls WHERE call_id = ? AND request_id IS NULL", arguments: [callID])
        }
    }
}
