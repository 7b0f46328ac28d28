import Foundation

extension RequestBook {
    /// Records how identity was verified (Art. 12(6)): `"ID card seen at the counter"`, never
    /// the document's number (the method is kept in the audit log). `officer`, the account of
    /// who checked, is recorded with it.
    public func verify(_ id: String, method: String, officer: String? = nil) async throws {
        let method = try Self.line(method, "the verification method") + Self.by(officer)
        try await change(id, event: "request.verified", detail: { _ in "identity verified: \(method)" }) { request in
            request.verification = method
        }
    }

    /// Extends the deadline by 1 or 2 months, within the first month only (Art. 12(3)); the
    /// reason is kept and shown, and is what the person must be told.
    @discardableResult
    public func extend(_ id: String, months: Int, reason: String, officer: String? = nil) async throws -> Deadline {
        let reason = try Self.line(reason, "the reason for the extension") + Self.by(officer)
        let today = self.today
        return try await change(id, event: "request.extended", detail: { request in
            "extended by \(months) month\(months == 1 ? "" : "s") to \(request.due): \(reason)"
        }) { request in
            request.deadline = try request.deadline.extended(by: months, on: today)
            request.extensionReason = [request.extensionReason, reason].compactMap { $0 }.joined(separator: "; ")
        }.deadline
    }

    /// Refuses the request with reasons (Art. 12(4)); the person must also be told they may
    /// complain to the supervisory authority and seek a judicial remedy.
    public func reject(_ id: String, reason: String, officer: String? = nil) async throws {
        let reason = try Self.line(reason, "the reason for refusing") + Self.by(officer)
        let at = ISO8601.timestamp(now())
        try await change(id, event: "request.rejected", detail: { _ in "refused (Art. 12(4)): \(reason)" }) { request in
            request.status = .rejected
            request.rejectionReason = reason
            request.closedAt = at
        }
    }

    /// Records that a run goes ahead without verified identity, and why.
    func recordForced(_ id: String, reason: String) async throws {
        let reason = try Self.line(reason, "the reason for running without verified identity")
        try await change(id, event: "request.forced", detail: { _ in "run without verified identity: \(reason)" }) { request in
            request.forced = true
        }
    }

    /// Closes a request after its run; `suppress` (the HMACs of erased identifiers) goes on
    /// the suppression list in the same transaction.
    func close(_ id: String, status: RequestStatus, outcome: String, runID: String? = nil, detail: String,
               suppress: Set<String> = [], scope: String = "full") async throws {
        let at = ISO8601.timestamp(now())
        let event = status == .completed ? "request.closed" : "request.\(status.rawValue)"
        try await change(id, event: event, detail: { _ in detail }, suppress: suppress, scope: scope) { request in
            request.status = status
            request.outcome = outcome
            request.runID = runID
            request.closedAt = status == .completed ? at : nil
        }
    }

    /// Reads the request in the ledger's transaction, refuses a closed one, applies `body` and
    /// has the ledger write it with the audit entry, all or nothing.
    @discardableResult
    func change(_ id: String, event: String, detail: @escaping @Sendable (DataRequest) -> String,
                suppress: Set<String> = [], scope: String = "full",
                _ body: @escaping @Sendable (inout DataRequest) throws -> Void) async throws -> DataRequest {
        let at = now()
        return try await ledger.updateRequest(id) { before in
            guard before.status.isPending else {
                throw DSARError(.invalidRequest, "request \(id) is \(before.status.rawValue); it can no longer change")
            }
            var after = before
            try body(&after)
            return RequestChange(request: after, suppress: suppress, scope: scope,
                                 entry: RequestAuditEntry(event: event, detail: detail(after), at: at))
        }
    }

    /// ` (officer NAME)`, or nothing.
    static func by(_ officer: String?) -> String {
        officer.map { " (officer \($0))" } ?? ""
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
