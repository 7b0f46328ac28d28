/// What an integration token may do. A token has exactly one scope.
public enum TokenScope: String, Sendable, Codable, CaseIterable {
    /// Opens requests: `POST /opengdpr_requests`, `DELETE /opengdpr_requests/{id}` (its own
    /// requests, while pending) and `POST /consent-withdrawals` (the IVR hook).
    case intake
    /// Reads where a request stands: `GET /opengdpr_requests/{id}`.
    case status
}
