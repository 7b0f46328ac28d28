/// The result of checking the chain.
public struct AuditVerification: Sendable {
    public var entries: Int
    /// Problems by entry sequence number; empty when the chain is intact.
    public var problems: [String]
    /// Entries chained with plain SHA-256 before the log was keyed (an older DSARKit wrote
    /// them). When sealed entries follow, the first of them vouches for them all.
    public var unkeyedEntries = 0
    public var isIntact: Bool { problems.isEmpty }

    public init(entries: Int, problems: [String], unkeyedEntries: Int = 0) {
        self.entries = entries
        self.problems = problems
        self.unkeyedEntries = unkeyedEntries
    }
}
