import DSARKit
import Foundation
import Hummingbird

extension Console {
    /// One request: what was asked, its deadline, the person's identifiers (for the identity
    /// check), its timeline from the audit chain, the forms that change it, and once erased its
    /// certificates' Art. 19 notices.
    func requestPage(_ visit: Visit, id: String) async throws -> Response {
        let text = visit.text
        let request = try await book.request(id)
        let today = book.today
        let e = HTML.escape
        let subject = try? await book.subject(of: id)
        let note = try? await book.note(of: id)
        var body = "<table id=\"request\">"
        let rows: [(String, String)] = [
            (text["kind"], request.kind.rawValue), (text["status"], request.status.rawValue),
            (text["channel"], request.channel?.rawValue ?? ""), (text["received"], "\(request.deadline.received)"),
            (text["due"], "\(request.due)" + (request.status.isPending ? " (\(request.deadline.daysLeft(on: today)))" : "")),
            (text["identifiers"], subject.map { $0.identifiers.map(\.description).joined(separator: "\n") } ?? "—"),
            (text["note"], note ?? ""),
            (text["verified"], request.verification ?? text["notVerified"]),
        ]
        for (label, value) in rows {
            body += "<tr><th>\(e(label))</th><td>" + e(value).replacingOccurrences(of: "\n", with: "<br>") + "</td></tr>"
        }
        if let reason = request.extensionReason { body += "<tr><th>\(e(text["extend"]))</th><td>\(e(reason))</td></tr>" }
        if let reason = request.rejectionReason { body += "<tr><th>\(e(text["reject"]))</th><td>\(e(reason))</td></tr>" }
        body += "</table>"
        if request.status.isPending {
            body += "<p><a href=\"/console/requests/\(e(id))/preview\" id=\"preview\">\(e(text["preview"]))</a> · " +
                "<a href=\"/console/requests/\(e(id))/run\" id=\"run\">\(e(text["run"]))</a></p>"
            body += forms(visit, request)
        }
        let notices = try await book.notices(of: id, catalog: catalog)
        if !notices.isEmpty { body += noticesHTML(text, notices) }
        body += "<h2>\(e(text["timeline"]))</h2><table id=\"timeline\">"
        for entry in try await book.timeline(of: id) {
            body += "<tr><td>\(e(entry.at))</td><td><code>\(e(entry.event))</code></td><td>\(e(entry.detail))</td></tr>"
        }
        body += "</table>"
        return ConsolePage.html(title: "\(text["id"]) \(request.id)", text: text, visit: visit, body: body)
    }

    private func forms(_ visit: Visit, _ request: DataRequest) -> String {
        let text = visit.text
        let e = HTML.escape
        let action = "/console/requests/\(e(request.id))"
        var html = ""
        if !request.isVerified {
            html += "<form class=\"inline\" method=\"post\" action=\"\(action)/verify\">\(ConsolePage.csrf(visit))" +
                "<label>\(e(text["method"])) <input name=\"method\" id=\"method\" size=\"40\" required></label>" +
                "<button type=\"submit\" id=\"verify\">\(e(text["verify"]))</button></form>"
        }
        html += "<form class=\"inline\" method=\"post\" action=\"\(action)/extend\">\(ConsolePage.csrf(visit))" +
            "<label>\(e(text["months"])) <select name=\"months\"><option>1</option><option>2</option></select></label>" +
            "<label>\(e(text["reason"])) <input name=\"reason\" size=\"30\" required></label>" +
            "<button type=\"submit\" id=\"extend\">\(e(text["extend"]))</button></form>"
        html += "<form class=\"inline\" method=\"post\" action=\"\(action)/reject\">\(ConsolePage.csrf(visit))" +
            "<label>\(e(text["reason"])) <input name=\"reason\" size=\"30\" required></label>" +
            "<button type=\"submit\" id=\"reject\">\(e(text["reject"]))</button></form>"
        return html
    }

    func noticesHTML(_ text: ConsoleText, _ notices: [ErasureNotice]) -> String {
        "<h2>\(HTML.escape(text["notices"]))</h2><ul id=\"notices\">" + notices.map {
            "<li>\(HTML.escape($0.recipient)): \(HTML.escape($0.collections.joined(separator: ", ")))</li>"
        }.joined() + "</ul>"
    }

    /// Verify, extend or reject through the ``RequestBook`` (audited), naming the officer.
    func changeRequest(_ visit: Visit, id: String, change: String) async throws -> Response {
        let reason = (visit.form["reason"] ?? "").trimmingCharacters(in: .whitespaces)
        switch change {
        case "verify":
            let method = (visit.form["method"] ?? "").trimmingCharacters(in: .whitespaces)
            guard !method.isEmpty else { throw DSARError(.invalidRequest, "say how the identity was checked") }
            try await book.verify(id, method: method, officer: visit.officer)
        case "extend":
            guard let months = visit.form["months"].flatMap(Int.init), !reason.isEmpty else {
                throw DSARError(.invalidRequest, "an extension needs 1 or 2 months and a reason")
            }
            try await book.extend(id, months: months, reason: reason, officer: visit.officer)
        default:
            guard !reason.isEmpty else { throw DSARError(.invalidRequest, "a refusal needs its reasons (Art. 12(4))") }
            try await book.reject(id, reason: reason, officer: visit.officer)
        }
        logger.info("console: request changed", metadata: ["request": "\(id)", "change": "\(change)", "officer": "\(visit.officer)"])
        return ConsolePage.redirect("/console/requests/\(id)")
    }
}
