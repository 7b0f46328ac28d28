import DSARKit
import Foundation

/// How `dsar request list` and `show` print requests.
enum RequestTable {
    struct Row: Encodable {
        var request: DataRequest
        var daysLeft: Int
        var overdue: Bool

        init(_ request: DataRequest, today: CalendarDay) {
            self.request = request
            daysLeft = request.deadline.daysLeft(on: today)
            overdue = request.status.isPending && request.deadline.isOverdue(on: today)
        }

        enum CodingKeys: String, CodingKey {
            case id, kind, channel, status, received, due, extensionMonths, extensionReason, verification, forced
            case rejectionReason, outcome, runID, openedAt, closedAt, daysLeft, overdue
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(request.id, forKey: .id)
            try container.encode(request.kind, forKey: .kind)
            try container.encodeIfPresent(request.channel, forKey: .channel)
            try container.encode(request.status, forKey: .status)
            try container.encode(request.deadline.received, forKey: .received)
            try container.encode(request.due, forKey: .due)
            try container.encode(request.deadline.extensionMonths, forKey: .extensionMonths)
            try container.encodeIfPresent(request.extensionReason, forKey: .extensionReason)
            try container.encodeIfPresent(request.verification, forKey: .verification)
            try container.encode(request.forced, forKey: .forced)
            try container.encodeIfPresent(request.rejectionReason, forKey: .rejectionReason)
            try container.encodeIfPresent(request.outcome, forKey: .outcome)
            try container.encodeIfPresent(request.runID, forKey: .runID)
            try container.encode(request.openedAt, forKey: .openedAt)
            try container.encodeIfPresent(request.closedAt, forKey: .closedAt)
            try container.encode(daysLeft, forKey: .daysLeft)
            try container.encode(overdue, forKey: .overdue)
        }
    }

    /// A request just opened, and the person's other pending requests (`dsar request open --json`).
    struct Opened: Encodable {
        var request: Row
        var alsoPending: [String]

        enum CodingKeys: String, CodingKey { case alsoPending }

        func encode(to encoder: any Encoder) throws {
            try request.encode(to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(alsoPending, forKey: .alsoPending)
        }
    }

    /// What `dsar request run --json` prints: the request as it now stands, and what answered it.
    struct RunReport: Encodable {
        var request: Row
        var package: PackageSummary?
        var certificate: ErasureCertificate?
        var notices: [ErasureNotice]?
    }

    struct Event: Encodable {
        var at: String
        var event: String
        var detail: String
        init(_ entry: AuditEntry) { at = entry.at; event = entry.event; detail = entry.detail }
    }

    struct Detail: Encodable {
        var request: Row
        var timeline: [Event]
        var notices: [ErasureNotice]
        /// What the request is about, when not everything.
        var scope: RequestScope?

        var text: String {
            let r = request.request
            var lines = ["Request \(r.id): \(r.kind.rawValue)\(r.channel.map { " by \($0.rawValue)" } ?? ""), \(r.status.rawValue)"]
            if let scope { lines.append("  scope: \(scope.flags)") }
            lines.append("  received \(r.deadline.received), due \(r.due)" + (r.status.isPending ? " (\(RequestTable.days(request)))" : ""))
            if let reason = r.extensionReason { lines.append("  extended by \(r.deadline.extensionMonths) month(s): \(reason)") }
            lines.append("  identity: " + (r.verification.map { "verified (\($0))" } ?? "not verified") + (r.forced ? "; run forced" : ""))
            if let reason = r.rejectionReason { lines.append("  refused: \(reason)") }
            if let outcome = r.outcome { lines.append("  outcome: \(outcome)") }
            lines.append("Timeline (audit log):")
            lines += timeline.map { "  \($0.at)  \($0.event.padding(toLength: 18, withPad: " ", startingAt: 0)) \($0.detail)" }
            if !notices.isEmpty {
                lines.append("Art. 19 notices to send (recipients of erased data):")
                lines += notices.map { "  \($0.recipient): \($0.collections.joined(separator: ", "))" }
            }
            return lines.joined(separator: "\n")
        }
    }

    static func days(_ row: Row) -> String {
        row.overdue ? "\(-row.daysLeft) day\(row.daysLeft == -1 ? "" : "s") overdue"
            : "\(row.daysLeft) day\(row.daysLeft == 1 ? "" : "s") left"
    }

    static func daysLeft(_ request: DataRequest, today: CalendarDay) -> String { days(Row(request, today: today)) }

    static func text(_ requests: [DataRequest], today: CalendarDay) -> String {
        let header = ["ID", "KIND", "STATUS", "RECEIVED", "DUE", "DEADLINE", "IDENTITY"]
        let rows = requests.map { request -> [String] in
            let row = Row(request, today: today)
            return [request.id, request.kind.rawValue, request.status.rawValue, request.deadline.received.description,
                    request.due.description, request.status.isPending ? days(row) : "-",
                    request.verification == nil ? "unverified" : "verified"]
        }
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        return ([header] + rows).map { row in
            row.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ")
                .trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n")
    }

    static func json(_ value: some Encodable) throws -> String {
        try JSONOutput.text(value)
    }
}
