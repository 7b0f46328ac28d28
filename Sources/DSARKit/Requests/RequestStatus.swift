/// Where a request stands.
public enum RequestStatus: String, Sendable, Codable, CaseIterable {
    /// Received and not yet answered (identity verified or not: see ``DataRequest/verification``).
    case open
    /// Answered: the access package was written or the erasure ran and verified.
    case completed
    /// The erasure ran but verification still found data; run it again once the obstacle is gone.
    case incomplete
    /// Refused with reasons and the right to complain (Art. 12(4)).
    case rejected
    /// Withdrawn before it was acted on: the person, or the controller who forwarded it (an
    /// OpenDSR cancellation), called it off. Nothing was packaged or erased.
    case cancelled

    /// Whether the deadline still runs.
    public var isPending: Bool { self == .open || self == .incomplete }
}
