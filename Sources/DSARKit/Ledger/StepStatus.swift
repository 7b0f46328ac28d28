/// Where one step of a journaled run stands.
public enum StepStatus: String, Sendable, Codable, CaseIterable {
    /// Not begun.
    case pending
    /// About to change its store (a file about to be unlinked): it may or may not have happened.
    case started
    /// Its store change committed.
    case done
}
