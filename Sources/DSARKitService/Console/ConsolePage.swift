import DSARKit
import Hummingbird

/// The console's page frame: language and direction, the officer and sign-out, the content.
/// Content is HTML built with ``HTML/escape(_:)`` around every value.
enum ConsolePage {
    /// `refresh`: the page reloads itself after that many seconds (a run's progress), without script.
    static func html(_ status: HTTPResponse.Status = .ok, title: String, text: ConsoleText, visit: Visit?, body: String,
                     refresh: Int? = nil) -> Response {
        let language = text.language
        var header = "<header><a class=\"brand\" href=\"/console/requests\">\(HTML.escape(text["title"]))</a>"
        header += "<nav class=\"languages\" aria-label=\"\(HTML.escape(text["language"]))\">" + ConsoleLanguage.allCases.map {
            "<a href=\"?lang=\($0.rawValue)\" lang=\"\($0.rawValue)\">\($0.rawValue.uppercased())</a>"
        }.joined(separator: " ") + "</nav>"
        if let visit {
            header += "<form class=\"signout\" method=\"post\" action=\"/console/sign-out\">\(csrf(visit))" +
                "<span id=\"officer\">\(HTML.escape(text["signedInAs"])) \(HTML.escape(visit.officer))</span> " +
                "<button type=\"submit\">\(HTML.escape(text["signOut"]))</button></form>"
        }
        header += "</header>"
        let page = """
            <!DOCTYPE html>
            <html lang="\(language.rawValue)" dir="\(language.isRightToLeft ? "rtl" : "ltr")">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">\(refresh.map { "<meta http-equiv=\"refresh\" content=\"\($0)\">" } ?? "")
            <title>\(HTML.escape(title)) · \(HTML.escape(text["title"]))</title>
            <link rel="stylesheet" href="/console/style.css"></head>
            <body>\(header)<main><h1>\(HTML.escape(title))</h1>
            \(body)
            </main></body></html>
            """
        return Response(status: status, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: page)))
    }

    /// The hidden field every form of the session carries.
    static func csrf(_ visit: Visit) -> String {
        "<input type=\"hidden\" name=\"csrf\" value=\"\(HTML.escape(visit.session.csrfToken))\">"
    }

    /// A short plain-text answer (403, 413, 429).
    static func plain(_ status: HTTPResponse.Status, _ message: String) -> Response {
        Response(status: status, headers: [.contentType: "text/plain; charset=utf-8"],
                 body: .init(byteBuffer: ByteBuffer(string: message + "\n")))
    }

    /// What the library refused, as the officer reads it (DSARError messages carry no personal data).
    static func error(_ visit: Visit, _ error: DSARError, back id: String? = nil) -> Response {
        let status: HTTPResponse.Status = [.erasureInProgress, .interruptedRuns].contains(error.code) ? .conflict : .badRequest
        var body = "<p class=\"error\" id=\"error\">\(HTML.escape(error.message))</p>"
        if let id { body += "<p><a href=\"/console/requests/\(HTML.escape(id))\">\(HTML.escape(visit.text["back"]))</a></p>" }
        return html(status, title: visit.text["error"], text: visit.text, visit: visit, body: body)
    }

    /// A 303 to `location` after a change.
    static func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }
}

/// The console's style sheet, served from `/console/style.css` (the CSP allows no inline style).
enum ConsoleStyle {
    static let css = """
        body{font-family:system-ui,sans-serif;margin:0;color:#1d2330;background:#f6f7f9}
        header{display:flex;gap:1.5em;align-items:center;padding:.6em 1.2em;background:#1f3a5f;color:#fff}
        header a{color:#fff}.brand{font-weight:bold;text-decoration:none}.signout{margin-inline-start:auto}
        main{padding:1em 1.5em;max-width:70em}h1{font-size:1.4em}
        table{border-collapse:collapse;width:100%;background:#fff}th,td{padding:.35em .6em;border-bottom:1px solid #dde;text-align:start;vertical-align:top}
        tr.overdue td{background:#fde8e8}.badge{display:inline-block;padding:0 .4em;border-radius:.3em;background:#c0392b;color:#fff;font-size:.85em}
        .ok{color:#1e7b34}.warn{color:#b03a2e}.error{color:#b03a2e;font-weight:bold}
        form.inline{display:inline-block;margin:.3em 1em .3em 0;padding:.5em;background:#fff;border:1px solid #dde}
        label{display:block;margin:.3em 0}input,select,textarea{font:inherit}
        .secret{font-family:monospace;font-size:1.2em;padding:.4em;background:#fff7d6;border:1px dashed #b58900}
        .filters a{margin-inline-end:1em}code{font-size:.9em}
        """

    static var response: Response {
        Response(status: .ok, headers: [.contentType: "text/css; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: css)))
    }
}
