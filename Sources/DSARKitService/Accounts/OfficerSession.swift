import Foundation

/// A signed-in officer's session. The cookie holds a random id; the directory keeps only its
/// SHA-256, so a copy of the service database does not sign anyone in.
public struct OfficerSession: Sendable, Hashable {
    /// The SHA-256 (hex) of the session id the cookie carries.
    public var idHash: String
    public var officer: String
    /// The token every form of the session carries; a POST without it is refused.
    public var csrfToken: String
    public var expiresAt: Date

    public init(idHash: String, officer: String, csrfToken: String, expiresAt: Date) {
        self.idHash = idHash
        self.officer = officer
        self.csrfToken = csrfToken
        self.expiresAt = expiresAt
    }
}
