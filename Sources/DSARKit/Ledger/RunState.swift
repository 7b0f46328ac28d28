/// A run as a ledger driver read it inside the transaction of a ``JournalChange``, for the
/// journal's rules to decide on (``ErasureLedger/commit(_:_:)``).
public struct RunState: Sendable, Equatable {
    public var status: RunStatus
    /// The status of the step the change names (``JournalChange/stepIndex``); `nil` when the
    /// change names none or the run has no such step.
    public var step: StepStatus?
    /// How many steps are done, and how many there are, for a change that needs them
    /// (``JournalChange/needsStepCounts``); `nil` otherwise.
    public var doneSteps: Int?
    public var totalSteps: Int?

    public init(status: RunStatus, step: StepStatus? = nil, doneSteps: Int? = nil, totalSteps: Int? = nil) {
        self.status = status
        self.step = step
        self.doneSteps = doneSteps
        self.totalSteps = totalSteps
    }
}
