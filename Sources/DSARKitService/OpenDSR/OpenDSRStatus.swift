import DSARKit

/// Where an OpenDSR request stands (spec 0.1 §8), read from the ledger's request.
public enum OpenDSRStatus: String, Sendable, Codable {
    case pending
    case inProgress = "in_progress"
    case completed
    case cancelled

    /// `pending` until an officer verifies identity; `in_progress` from then on (and while an
    /// erasure must run again); `completed` once answered; `cancelled` when withdrawn or refused.
    public init(_ request: DataRequest) {
        switch request.status {
        case .open: self = request.isVerified ? .inProgress : .pending
        case .incomplete: self = .inProgress
        case .completed: self = .completed
        case .rejected, .cancelled: self = .cancelled
        }
    }

    /// Whether it can still change.
    var isFinal: Bool { self == .completed || self == .cancelled }
}
