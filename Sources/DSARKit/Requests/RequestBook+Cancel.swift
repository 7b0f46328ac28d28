extension RequestBook {
    /// Records that the request was withdrawn before it was acted on (the person changed their
    /// mind, or the controller who forwarded it cancelled it): it closes as
    /// ``RequestStatus/cancelled``, with `reason` in the audit log. With `onlyBeforeVerification`
    /// (OpenDSR allows cancelling only while a request is `pending`), a request whose identity
    /// was already verified is refused, in the same transaction as the change.
    public func cancel(_ id: String, reason: String, onlyBeforeVerification: Bool = false) async throws {
        let reason = try Self.line(reason, "the reason for cancelling")
        let at = ISO8601.timestamp(now())
        try await change(id, event: "request.cancelled", detail: { _ in "cancelled: \(reason)" }) { request in
            if onlyBeforeVerification {
                guard request.status == .open, !request.isVerified else {
                    throw DSARError(.invalidRequest, "request \(id) is already being acted on; it can no longer be cancelled")
                }
            }
            request.status = .cancelled
            request.closedAt = at
        }
    }
}
