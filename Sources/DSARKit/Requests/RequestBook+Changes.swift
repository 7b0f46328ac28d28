import Foundation
import GRDB

extension RequestBook {
    /// Records how identity was verified (Art. 12(6)): `"ID card seen at the counter"`, never
    /// the document's number (the method is kept in the audit log).
    public func verify(_ id: String, method: String) throws {
        let method = try Self.line(method, "the verification method")
        try change(id, event: "request.verified", detail: "identity verified: \(method)") { db, _ in
            try db.execute(sql: "UPDATE requests SET verification = ? WHERE id = ?", arguments: [method, id])
        }
    }

    /// Extends the deadline by 1 or 2 months, within the first month only (Art. 12(3)); the
    /// reason is kept and shown, and is what the person must be told.
    @discardableResult
    public func extend(_ id: String, months: Int, reason: String) throws -> Deadline {
        let reason = try Self.line(reason, "the reason for the extension")
        let today = self.today
        return try change(id, event: "request.extended", detail: { request in
            "extended by \(months) month\(months == 1 ? "" : "s") to \(request.due): \(reason)"
        }) { db, request in
            let extended = try request.deadline.extended(by: months, on: today)
            let reasons = [request.extensionReason, reason].compactMap { $0 }.joined(separator: "; ")
            try db.execute(sql: "UPDATE requests SET extension_months = ?, due = ?, extension_reason = ? WHERE id = ?",
                           arguments: [extended.extensionMonths, extended.due.description, reasons, id])
            return extended
        }
    }

    /// Refuses the request with reasons (Art. 12(4)); the person must also be told they may
    /// complain to the supervisory authority and seek a judicial remedy.
    public func reject(_ id: String, reason: String) throws {
        let reason = try Self.line(reason, "the reason for refusing")
        let at = ISO8601.timestamp(now())
        try change(id, event: "request.rejected", detail: "refused (Art. 12(4)): \(reason)") { db, _ in
            try db.execute(sql: "UPDATE requests SET status = 'rejected', rejection_reason = ?, closed_at = ? WHERE id = ?",
                           arguments: [reason, at, id])
        }
    }

    /// Records that a run goes ahead without verified identity, and why.
    func recordForced(_ id: String, reason: String) throws {
        let reason = try Self.line(reason, "the reason for running without verified identity")
        try change(id, event: "request.forced", detail: "run without verified identity: \(reason)") { db, _ in
            try db.execute(sql: "UPDATE requests SET forced = 1 WHERE id = ?", arguments: [id])
        }
    }

    /// Closes a request after its run; `suppress` (the HMACs of erased identifiers) goes on
    /// the suppression list in the same transaction.
    func close(_ id: String, status: RequestStatus, outcome: String, runID: String? = nil, detail: String,
               suppress: Set<String> = [], scope: String = "full") throws {
        let at = ISO8601.timestamp(now())
        let event = status == .completed ? "request.closed" : "request.\(status.rawValue)"
        try change(id, event: event, detail: detail) { db, _ in
            try db.execute(sql: "UPDATE requests SET status = ?, outcome = ?, run_id = ?, closed_at = ? WHERE id = ?",
                           arguments: [status.rawValue, outcome, runID, status == .completed ? at : nil, id])
            for hmac in suppress {
                try db.execute(sql: "INSERT OR REPLACE INTO suppression (hmac, request_id, scope, erased_at) VALUES (?, ?, ?, ?)",
                               arguments: [hmac, id, scope, at])
            }
        }
    }

    /// Reads the request in the write transaction, refuses a closed one, applies `body` and
    /// appends the audit entry, all or nothing.
    @discardableResult
    func change<T: Sendable>(_ id: String, event: String, detail: @escaping @Sendable (DataRequest) -> String,
                             _ body: @escaping @Sendable (Database, DataRequest) throws -> T) throws -> T {
        let at = ISO8601.timestamp(now())
        let key = try ledger.auditKey()
        return try ledger.write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM requests WHERE id = ?", arguments: [id]) else {
                throw DSARError(.invalidRequest, "there is no request \(id.prefix(40)) in the ledger")
            }
            let before = Self.request(row)
            guard before.status.isPending else {
                throw DSARError(.invalidRequest, "request \(id) is \(before.status.rawValue); it can no longer change")
            }
            let result = try body(db, before)
            let after = Self.request(try Row.fetchOne(db, sql: "SELECT * FROM requests WHERE id = ?", arguments: [id])!)
            try AuditLog.append(db, key: key, runID: id, event: event, detail: detail(after), at: at)
            return result
        }
    }

    @discardableResult
    func change<T: Sendable>(_ id: String, event: String, detail: String,
                             _ body: @escaping @Sendable (Database, DataRequest) throws -> T) throws -> T {
        try change(id, event: event, detail: { _ in detail }, body)
    }

    /// One trimmed, non-empty line of at most 500 characters.
    static func line(_ text: String, _ what: String) throws -> String {
        let trimmed = text.trimmingWhitespace()
        guard !trimmed.isEmpty, !trimmed.contains(where: \.isNewline), trimmed.count <= 500 else {
            throw DSARError(.invalidRequest, "\(what) must be one line of 1 to 500 characters")
        }
        return trimmed
    }
}
