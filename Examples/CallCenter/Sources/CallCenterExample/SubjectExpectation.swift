/// What a correct DSAR discovery must return for one data subject.
public struct SubjectExpectation: Sendable {
    /// Items that belong to the subject.
    public let records: Set<ExpectedItem>
    /// Files of those items, as "store/path" (e.g. "recordings/calls/2026/03/call-2.wav").
    public let files: Set<String>
    /// Items whose identifier matches the subject but that are linked to another customer.
    public let conflicts: Set<ExpectedItem>
    /// Unlinked items whose phone is shared by the subject and someone else.
    public let ambiguous: Set<ExpectedItem>

    public init(records: Set<ExpectedItem>, files: Set<String>, conflicts: Set<ExpectedItem>, ambiguous: Set<ExpectedItem>) {
        self.records = records
        self.files = files
        self.conflicts = conflicts
        self.ambiguous = ambiguous
    }
}
