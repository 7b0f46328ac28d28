/// The result of checking the chain.
public struct AuditVerification: Sendable {
    public var entries: Int
    /// Problems by entry sequence number; empty when the chain is intact.
    public var problems: [String]
    public var isIntact: Bool { problems.isEmpty }
}
