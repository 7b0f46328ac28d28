/// The name of an audit entry (`run.planned`, `step.done`, …): the journal's events are
/// static members; other parts of DSARKit (requests, replays) write their own names.
public struct AuditEvent: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible, ExpressibleByStringLiteral {
    public var rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { rawValue }

    /// A run's plan was journaled, before its first change.
    public static let runPlanned: AuditEvent = "run.planned"
    /// The data changed since the plan was made; the steps not done were planned again.
    public static let runReplanned: AuditEvent = "run.replanned"
    /// An interrupted run is being finished.
    public static let runResumed: AuditEvent = "run.resumed"
    /// A step's store change committed.
    public static let stepDone: AuditEvent = "step.done"
    /// A step failed; the run stays unfinished.
    public static let stepFailed: AuditEvent = "step.failed"
    /// Closing events (``RunStatus/closingEvent``).
    public static let runCompleted: AuditEvent = RunStatus.completed.closingEvent
    public static let runIncomplete: AuditEvent = RunStatus.incomplete.closingEvent
    public static let runAbandoned: AuditEvent = RunStatus.abandoned.closingEvent
}
