/// A token issued to one integration (a portal, a DSR orchestrator, an IVR), as stored: its
/// name, scope and dates. The secret itself is never stored, only its SHA-256.
public struct IntegrationToken: Sendable, Hashable, Codable {
    public var name: String
    public var scope: TokenScope
    /// ISO 8601, UTC.
    public var createdAt: String
    public var revokedAt: String?

    public init(name: String, scope: TokenScope, createdAt: String, revokedAt: String? = nil) {
        self.name = name
        self.scope = scope
        self.createdAt = createdAt
        self.revokedAt = revokedAt
    }
}

/// A token just issued: the secret, to print once, and what was stored.
public struct IssuedToken: Sendable {
    /// `dsar_` followed by 32 random bytes in base64url (43 characters).
    public var secret: String
    public var token: IntegrationToken
}
