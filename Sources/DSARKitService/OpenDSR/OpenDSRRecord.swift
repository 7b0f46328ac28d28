import Foundation
import GRDB

/// An OpenDSR request as the service file keeps it: which ledger request it opened, which
/// controller (token name) sent it, where to call back, and the last status told.
struct OpenDSRRecord: Sendable, Hashable {
    var subjectRequestID: String
    var requestID: String?
    var controllerID: String
    var callbackURLs: [String]
    var receivedTime: String
    var notifiedStatus: OpenDSRStatus?

    init(subjectRequestID: String, requestID: String?, controllerID: String, callbackURLs: [String],
         receivedTime: String, notifiedStatus: OpenDSRStatus? = nil) {
        self.subjectRequestID = subjectRequestID
        self.requestID = requestID
        self.controllerID = controllerID
        self.callbackURLs = callbackURLs
        self.receivedTime = receivedTime
        self.notifiedStatus = notifiedStatus
    }

    init(row: Row) {
        subjectRequestID = row["subject_request_id"]
        requestID = row["request_id"]
        controllerID = row["controller_id"]
        let urls: String = row["callback_urls"]
        callbackURLs = (try? JSONDecoder().decode([String].self, from: Data(urls.utf8))) ?? []
        receivedTime = row["received_time"]
        notifiedStatus = (row["notified_status"] as String?).flatMap(OpenDSRStatus.init(rawValue:))
    }
}

extension APIDatabase {
    /// Claims `record.subjectRequestID` before the ledger request is opened; `false` when it was
    /// received already (a retry or a clash), so one OpenDSR id never opens two requests.
    func claim(_ record: OpenDSRRecord) async throws -> Bool {
        let urls = String(decoding: try JSONEncoder().encode(record.callbackURLs), as: UTF8.self)
        return try await queue.write { db in
            try db.execute(sql: """
                INSERT OR IGNORE INTO opendsr_requests (subject_request_id, controller_id, callback_urls, received_time)
                VALUES (?, ?, ?, ?)
                """, arguments: [record.subjectRequestID, record.controllerID, urls, record.receivedTime])
            return db.changesCount == 1
        }
    }

    func attach(requestID: String, to subjectRequestID: String) async throws {
        try await queue.write { db in
            try db.execute(sql: "UPDATE opendsr_requests SET request_id = ? WHERE subject_request_id = ?",
                           arguments: [requestID, subjectRequestID])
        }
    }

    /// Gives up a claim whose request could not be opened.
    func release(_ subjectRequestID: String) async throws {
        try await queue.write { db in
            try db.execute(sql: "DELETE FROM opendsr_requests WHERE subject_request_id = ? AND request_id IS NULL",
                           arguments: [subjectRequestID])
        }
    }

    func openDSRRecord(_ subjectRequestID: String) async throws -> OpenDSRRecord? {
        try await queue.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM opendsr_requests WHERE subject_request_id = ? AND request_id IS NOT NULL",
                             arguments: [subjectRequestID]).map(OpenDSRRecord.init(row:))
        }
    }

    /// Requests whose controller has not yet been told a final status.
    func openDSRRecordsToWatch() async throws -> [OpenDSRRecord] {
        try await queue.read { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM opendsr_requests WHERE request_id IS NOT NULL AND callback_urls != '[]'
                AND (notified_status IS NULL OR notified_status NOT IN ('completed', 'cancelled'))
                """).map(OpenDSRRecord.init(row:))
        }
    }

    func markNotified(_ subjectRequestID: String, status: OpenDSRStatus) async throws {
        try await queue.write { db in
            try db.execute(sql: "UPDATE opendsr_requests SET notified_status = ? WHERE subject_request_id = ?",
                           arguments: [status.rawValue, subjectRequestID])
        }
    }
}
