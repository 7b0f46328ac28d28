/// Where a journaled run stands. A run is written `executing` before its first change and
/// closed exactly once: `completed` or `incomplete` (what verification found), or
/// `abandoned` on purpose. A closed run never changes again.
public enum RunStatus: String, Sendable, Codable, CaseIterable {
    /// Planned and not finished: resumable.
    case executing
    /// Verified: nothing left but held, retained and masked rows.
    case completed
    /// Finished, but verification still found records of the subject.
    case incomplete
    /// Given up on purpose; the subject may be partly erased.
    case abandoned

    /// Whether the run is closed (its plan purged, its certificate stored unless abandoned).
    public var isFinished: Bool { self != .executing }

    /// The audit event that closes a run with this status (`run.completed`, …).
    public var closingEvent: AuditEvent { AuditEvent(rawValue: "run.\(rawValue)") }
}
