import DSARKit
import Foundation
import Hummingbird
import Logging

/// The officer's console: server-rendered pages under `/console`, no script. Every page needs a
/// signed-in officer; every form carries the session's CSRF token; every change goes through
/// the library (``RequestBook``, ``RequestRun``), so the audit chain records it.
struct Console: Sendable {
    static let sessionCookie = "dsar_session"
    static let signInCookie = "dsar_signin"
    /// The largest form body accepted.
    static let maxFormBytes = 64 * 1024

    let configuration: DSARService.Configuration
    let limiter: SignInLimiter
    let downloads: PackageDownloads
    /// Packaging and erasures, off the request path.
    let runs: RunQueue

    init(configuration: DSARService.Configuration, runs: RunQueue) {
        self.configuration = configuration
        self.runs = runs
        limiter = SignInLimiter(now: configuration.book.now)
        downloads = PackageDownloads(lifetime: configuration.downloadLifetime, now: configuration.book.now)
    }

    var book: RequestBook { configuration.book }
    var catalog: Catalog { configuration.catalog }
    var logger: Logger { configuration.logger }

    func addRoutes<Context: ConsoleRequestContext>(to router: Router<Context>) {
        let group = router.group("console").add(middleware: ConsoleHeaders<Context>())
        group.get("style.css") { _, _ in ConsoleStyle.response }
        group.get("sign-in") { request, _ in signInPage(request) }
        group.post("sign-in") { request, context in try await signIn(request, peer: context.peerAddress) }
        group.post("sign-out") { request, _ in try await visit(request, post: true) { try await signOut($0) } }
        group.get("requests") { request, _ in try await visit(request) { try await requestList($0) } }
        group.get("requests/new") { request, _ in try await visit(request) { newRequestPage($0) } }
        group.post("requests") { request, _ in try await visit(request, post: true) { try await openRequest($0) } }
        group.get("requests/:id") { request, context in
            try await visit(request) { try await requestPage($0, id: context.parameters.get("id") ?? "") }
        }
        for change in ["verify", "extend", "reject"] {
            group.post("requests/:id/\(change)") { request, context in
                try await visit(request, post: true) { try await changeRequest($0, id: context.parameters.get("id") ?? "", change: change) }
            }
        }
        group.get("requests/:id/preview") { request, context in
            try await visit(request) { try await previewPage($0, id: context.parameters.get("id") ?? "") }
        }
        group.get("requests/:id/run") { request, context in
            try await visit(request) { try await runPage($0, id: context.parameters.get("id") ?? "") }
        }
        group.post("requests/:id/run") { request, context in
            try await visit(request, post: true) { try await run($0, id: context.parameters.get("id") ?? "") }
        }
        group.get("downloads/:token") { request, context in
            try await visit(request) { try await download($0, token: context.parameters.get("token") ?? "") }
        }
    }
}

/// One signed-in page view or form post: who, in which language, and the form's fields.
struct Visit: Sendable {
    var session: OfficerSession
    var text: ConsoleText
    var form: [String: String]
    var query: [String: String]

    var officer: String { session.officer }
}

extension Console {
    /// Runs `body` for a signed-in officer: a page view without a session goes to the sign-in page;
    /// a post without a session, or without the session's CSRF token, is refused (403) and changes nothing.
    func visit(_ request: Request, post: Bool = false, _ body: (Visit) async throws -> Response) async throws -> Response {
        let text = ConsoleText(language: ConsoleLanguage.of(request))
        guard let session = try await session(of: request) else {
            if post { return ConsolePage.plain(.forbidden, "Sign in first.") }
            return Response(status: .seeOther, headers: [.location: "/console/sign-in"])
        }
        var form: [String: String] = [:]
        if post {
            guard let fields = try await ConsoleForm.read(request) else {
                return ConsolePage.plain(.contentTooLarge, "The form is too large.")
            }
            guard let token = fields["csrf"], ConsoleForm.same(token, session.csrfToken) else {
                logger.notice("console: a form without its CSRF token was refused", metadata: ["officer": "\(session.officer)"])
                return ConsolePage.plain(.forbidden, "The form's security token is missing or wrong. Reload the page and try again.")
            }
            form = fields
        }
        let query = Dictionary(request.uri.queryParameters.map { (String($0.key), String($0.value)) }, uniquingKeysWith: { a, _ in a })
        let visit = Visit(session: session, text: text, form: form, query: query)
        var response: Response
        do {
            response = try await body(visit)
        } catch let error as DSARError {
            logger.notice("console: refused", metadata: ["officer": "\(session.officer)", "code": "\(error.code)"])
            response = ConsolePage.error(visit, error)
        }
        if let asked = request.uri.queryParameters["lang"], ConsoleLanguage(rawValue: String(asked)) != nil {
            response.setCookie(cookie(ConsoleLanguage.cookie, String(asked), maxAge: 365 * 86400))
        }
        return response
    }

    /// The unexpired session named by the request's cookie.
    func session(of request: Request) async throws -> OfficerSession? {
        guard let id = request.cookies[Self.sessionCookie]?.value, !id.isEmpty else { return nil }
        let idHash = SecretToken.hash(id)
        guard let session = try await configuration.officers.session(idHash: idHash) else { return nil }
        guard session.expiresAt > book.now() else {
            try await configuration.officers.deleteSession(idHash: idHash)
            return nil
        }
        return session
    }
}
