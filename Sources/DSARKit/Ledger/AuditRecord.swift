import Foundation

/// An audit entry to append: a driver chains and seals it after the newest entry
/// (``AuditEntry/chained(after:at:runID:event:detail:key:)``). The detail names records by
/// collection and step only, never by personal data.
public struct AuditRecord: Sendable, Equatable {
    public var runID: RunID?
    public var event: AuditEvent
    public var detail: String
    public var at: Date

    public init(runID: RunID?, event: AuditEvent, detail: String, at: Date) {
        self.runID = runID
        self.event = event
        self.detail = detail
        self.at = at
    }

    /// The sealed entry that follows `previous` (the first entry when `nil`).
    public func chained(after previous: (sequence: Int64, hash: String)?, key: AuditKey) -> AuditEntry {
        AuditEntry.chained(after: previous, at: at, runID: runID?.rawValue, event: event.rawValue, detail: detail, key: key)
    }
}
