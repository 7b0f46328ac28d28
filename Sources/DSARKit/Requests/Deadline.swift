/// When a request must be answered (GDPR Art. 12(3)): one calendar month after receipt,
/// extendable by one or two more months only while the first month runs, never beyond three
/// months in all. The subject must be told of an extension, with its reasons, within the first month.
public struct Deadline: Hashable, Sendable, Codable {
    /// The day the request was received.
    public var received: CalendarDay
    /// Months added by extensions (0, 1 or 2).
    public var extensionMonths: Int

    public init(received: CalendarDay, extensionMonths: Int = 0) {
        self.received = received
        self.extensionMonths = extensionMonths
    }

    /// The end of the first month: the original due date, and the last day an extension may be decided.
    public var initialDue: CalendarDay { received.adding(months: 1) }

    /// The due date, extensions included (counted from receipt, so 31 January + 3 months is 30 April).
    public var due: CalendarDay { received.adding(months: 1 + extensionMonths) }

    /// Days from `today` to the due date; negative when overdue.
    public func daysLeft(on today: CalendarDay) -> Int { today.days(until: due) }

    public func isOverdue(on today: CalendarDay) -> Bool { today > due }

    /// The deadline extended by `months`, decided on `today`. Throws
    /// ``DSARError/Code/invalidRequest`` when `months` is not 1 or 2, the first month has
    /// passed, or the total would exceed three months.
    public func extended(by months: Int, on today: CalendarDay) throws -> Deadline {
        guard months == 1 || months == 2 else {
            throw DSARError(.invalidRequest, "an extension is 1 or 2 months (GDPR Art. 12(3))")
        }
        guard today <= initialDue else {
            throw DSARError(.invalidRequest, "an extension must be decided and told to the person within the first month, " +
                            "which ended on \(initialDue) (GDPR Art. 12(3))")
        }
        guard extensionMonths + months <= 2 else {
            throw DSARError(.invalidRequest, "the deadline is already extended by \(extensionMonths) month" +
                            "\(extensionMonths == 1 ? "" : "s"); three months after receipt is the limit (GDPR Art. 12(3))")
        }
        return Deadline(received: received, extensionMonths: extensionMonths + months)
    }
}
