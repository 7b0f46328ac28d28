/// What the journal's rules decided for a ``JournalChange``, given the ``RunState`` read in
/// the driver's transaction (they throw to refuse it).
public enum JournalDecision: Sendable, Equatable {
    /// Store the change, and append the audit entry when there is one, in the same transaction.
    case apply(AuditRecord?)
    /// Store nothing (the change is already there, or has nothing to do).
    case skip
}
