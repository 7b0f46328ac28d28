import DSARKit
import Foundation
import Hummingbird

extension Console {
    /// The requests: overdue first (marked), then by due date, with days left; filters
    /// `?show=pending|overdue` and `?kind=`.
    func requestList(_ visit: Visit) async throws -> Response {
        let text = visit.text
        let show = visit.query["show"] ?? "pending"
        let kind = visit.query["kind"].flatMap(RequestKind.init(rawValue:))
        let filter = RequestFilter(overdue: show == "overdue", includeClosed: show == "all")
        let today = book.today
        let requests = try await book.list(filter).filter { kind == nil || $0.kind == kind }
            .sorted { Self.listOrder($0, $1, today: today) }
        var body = "<p class=\"filters\">"
        for (value, label) in [("pending", "pending"), ("overdue", "overdue"), ("all", "all")] {
            body += "<a href=\"/console/requests?show=\(value)\(kind.map { "&amp;kind=\($0.rawValue)" } ?? "")\"" +
                (show == value ? " aria-current=\"page\"" : "") + ">\(HTML.escape(text[label]))</a>"
        }
        body += " · " + RequestKind.allCases.map {
            "<a href=\"/console/requests?show=\(HTML.escape(show))&amp;kind=\($0.rawValue)\">\($0.rawValue)</a>"
        }.joined(separator: " ")
        body += " · <a href=\"/console/requests/new\" id=\"new-request\">\(HTML.escape(text["newRequest"]))</a></p>"
        guard !requests.isEmpty else {
            return ConsolePage.html(title: text["requests"], text: text, visit: visit, body: body + "<p id=\"empty\">\(HTML.escape(text["noRequest"]))</p>")
        }
        body += "<table id=\"requests\"><thead><tr><th>\(HTML.escape(text["id"]))</th><th>\(HTML.escape(text["kind"]))</th>" +
            "<th>\(HTML.escape(text["channel"]))</th><th>\(HTML.escape(text["due"]))</th><th>\(HTML.escape(text["daysLeft"]))</th>" +
            "<th>\(HTML.escape(text["status"]))</th></tr></thead><tbody>"
        for request in requests {
            let overdue = request.status.isPending && request.deadline.isOverdue(on: today)
            body += "<tr class=\"request\(overdue ? " overdue" : "")\" data-id=\"\(HTML.escape(request.id))\">" +
                "<td><a href=\"/console/requests/\(HTML.escape(request.id))\">\(HTML.escape(request.id))</a></td>" +
                "<td>\(request.kind.rawValue)</td><td>\(request.channel?.rawValue ?? "")</td><td>\(request.due)</td>" +
                "<td>\(request.status.isPending ? String(request.deadline.daysLeft(on: today)) : "")" +
                (overdue ? " <span class=\"badge\">\(HTML.escape(text["overdue"]))</span>" : "") + "</td>" +
                "<td>\(request.status.rawValue)\(request.isVerified ? " ✓" : "")</td></tr>"
        }
        body += "</tbody></table>"
        return ConsolePage.html(title: text["requests"], text: text, visit: visit, body: body)
    }

    /// Overdue pending requests first, then by due date, then by id.
    static func listOrder(_ a: DataRequest, _ b: DataRequest, today: CalendarDay) -> Bool {
        let overdueA = a.status.isPending && a.deadline.isOverdue(on: today)
        let overdueB = b.status.isPending && b.deadline.isOverdue(on: today)
        if overdueA != overdueB { return overdueA }
        if a.due != b.due { return a.due < b.due }
        return a.id < b.id
    }

    func newRequestPage(_ visit: Visit) -> Response {
        let text = visit.text
        let kinds = RequestKind.allCases.map { "<option value=\"\($0.rawValue)\">\($0.rawValue)</option>" }.joined()
        let channels = "<option value=\"\"></option>" + RequestChannel.allCases.map { "<option value=\"\($0.rawValue)\">\($0.rawValue)</option>" }.joined()
        let types = catalog.identifiers.map(\.name).joined(separator: ", ")
        let body = """
            <form method="post" action="/console/requests" id="open-form">\(ConsolePage.csrf(visit))
            <label>\(HTML.escape(text["kind"])) <select name="kind" id="kind">\(kinds)</select></label>
            <label>\(HTML.escape(text["identifiers"])) <small>(\(HTML.escape(types)))</small><br>
            <textarea name="identifiers" id="identifiers" rows="3" cols="50" required></textarea></label>
            <label>\(HTML.escape(text["received"])) <input name="received" id="received" pattern="\\d{4}-\\d{2}-\\d{2}"></label>
            <label>\(HTML.escape(text["channel"])) <select name="channel" id="channel">\(channels)</select></label>
            <label>\(HTML.escape(text["note"])) <input name="note" id="note" size="50"></label>
            <button type="submit" id="open">\(HTML.escape(text["open"]))</button>
            </form>
            """
        return ConsolePage.html(title: text["newRequest"], text: text, visit: visit, body: body)
    }

    /// Opens a request from the form; goes to its page.
    func openRequest(_ visit: Visit) async throws -> Response {
        guard let kind = visit.form["kind"].flatMap(RequestKind.init(rawValue:)) else {
            throw DSARError(.invalidRequest, "choose the kind of request")
        }
        let lines = (visit.form["identifiers"] ?? "").split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let subject = try DataSubject(parsing: lines, catalog: catalog)
        var received: CalendarDay?
        if let day = visit.form["received"], !day.isEmpty {
            guard let parsed = CalendarDay(day) else { throw DSARError(.invalidRequest, "the day of receipt must be a day, YYYY-MM-DD") }
            received = parsed
        }
        let channel = visit.form["channel"].flatMap(RequestChannel.init(rawValue:))
        let note = visit.form["note"].flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
        let request = try await book.open(kind, subject: subject, received: received, channel: channel, note: note)
        logger.info("console: request opened", metadata: ["request": "\(request.id)", "officer": "\(visit.officer)"])
        return ConsolePage.redirect("/console/requests/\(request.id)")
    }
}
