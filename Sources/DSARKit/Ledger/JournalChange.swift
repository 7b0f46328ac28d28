import Foundation

/// One write to the journal, as a ledger driver stores it (``ErasureLedger/commit(_:_:)``).
/// The journal's rules (``ErasureLedger/begin(_:at:)`` and its siblings) decide which change
/// is allowed and what the audit log says; a driver only stores it.
public enum JournalChange: Sendable, Equatable {
    /// A new run `executing`, its plan (``ErasurePlan`` as JSON) and its steps, all `pending`.
    case begin(RunID, plan: String, steps: [Int], at: Date)
    /// The run's plan replaced: every step not `done` removed, then `pending` steps added.
    case replan(RunID, plan: String, pending: [Int])
    /// One step's status set.
    case step(RunID, index: Int, status: StepStatus)
    /// The run closed: status set, certificate stored (`nil` keeps none), plan purged, finish
    /// time stored. The steps stay.
    case close(RunID, status: RunStatus, certificate: String?, at: Date)
    /// No journal change: only the audit entry (of run `RunID`, or of none).
    case note(RunID?)

    /// The run the change is about.
    public var runID: RunID? {
        switch self {
        case .begin(let id, _, _, _), .replan(let id, _, _), .step(let id, _, _), .close(let id, _, _, _): id
        case .note(let id): id
        }
    }

    /// The step the change is about (its status goes into ``RunState/step``).
    public var stepIndex: Int? {
        if case .step(_, let index, _) = self { return index }
        return nil
    }

    /// Whether the driver must count the run's steps for the rules (``RunState/steps``).
    public var needsStepCounts: Bool {
        if case .close = self { return true }
        return false
    }
}
