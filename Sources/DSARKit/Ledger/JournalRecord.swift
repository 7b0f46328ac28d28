/// A run as a ledger driver stores it: what ``ErasureLedger/run(_:)`` and
/// ``ErasureLedger/runs(withStatus:)`` return. The journal's rules read it back
/// (``ErasureLedger/unfinishedRuns()``, ``ErasureLedger/runStatus(_:)``, …).
public struct JournalRecord: Sendable, Equatable {
    public var id: RunID
    public var status: RunStatus
    /// The plan as JSON while the run is unfinished; `nil` once it closed (purged).
    public var plan: String?
    /// The indexes of the steps whose store change committed.
    public var done: Set<Int>
    /// The signed certificate of a closed run (`nil` for an abandoned or unfinished one).
    public var certificate: String?

    public init(id: RunID, status: RunStatus, plan: String?, done: Set<Int>, certificate: String?) {
        self.id = id
        self.status = status
        self.plan = plan
        self.done = done
        self.certificate = certificate
    }
}
