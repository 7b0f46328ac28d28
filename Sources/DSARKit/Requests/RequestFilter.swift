/// Which requests ``RequestBook/list(_:)`` returns.
public struct RequestFilter: Sendable, Hashable {
    /// Only pending requests past their due date.
    public var overdue: Bool
    /// Only pending requests due within this many days (overdue ones included).
    public var dueWithinDays: Int?
    /// Closed requests too (completed, rejected). Ignored by ``overdue`` and ``dueWithinDays``.
    public var includeClosed: Bool

    public init(overdue: Bool = false, dueWithinDays: Int? = nil, includeClosed: Bool = true) {
        self.overdue = overdue
        self.dueWithinDays = dueWithinDays
        self.includeClosed = includeClosed
    }

    func includes(_ request: DataRequest, today: CalendarDay) -> Bool {
        if overdue || dueWithinDays != nil {
            guard request.status.isPending else { return false }
            if overdue, !request.deadline.isOverdue(on: today) { return false }
            if let days = dueWithinDays, request.deadline.daysLeft(on: today) > days { return false }
            return true
        }
        return includeClosed || request.status.isPending
    }
}
