import DSARKit
import Foundation
import Hummingbird
import HummingbirdBcrypt

extension Console {
    /// The sign-in form, with a fresh token in a cookie and in the form (checked on post).
    func signInPage(_ request: Request, status: HTTPResponse.Status = .ok, message: String? = nil) -> Response {
        let text = ConsoleText(language: ConsoleLanguage.of(request))
        let token = SecretToken.make()
        var body = message.map { "<p class=\"error\" id=\"error\">\(HTML.escape($0))</p>" } ?? ""
        body += """
            <form method="post" action="/console/sign-in">
            <input type="hidden" name="csrf" value="\(token)">
            <label>\(HTML.escape(text["name"])) <input name="name" id="name" autocomplete="username" required></label>
            <label>\(HTML.escape(text["password"])) <input name="password" id="password" type="password" autocomplete="current-password" required></label>
            <button type="submit" id="sign-in">\(HTML.escape(text["signIn"]))</button>
            </form>
            """
        var response = ConsolePage.html(status, title: text["signIn"], text: text, visit: nil, body: body)
        response.setCookie(cookie(Self.signInCookie, token, maxAge: 3600))
        if let asked = request.uri.queryParameters["lang"], ConsoleLanguage(rawValue: String(asked)) != nil {
            response.setCookie(cookie(ConsoleLanguage.cookie, String(asked), maxAge: 365 * 86400))
        }
        return response
    }

    /// Checks the form's token, the attempt limits, then the password; opens a session.
    func signIn(_ request: Request, peer: String?) async throws -> Response {
        let text = ConsoleText(language: ConsoleLanguage.of(request))
        guard let form = try await ConsoleForm.read(request) else { return ConsolePage.plain(.contentTooLarge, "The form is too large.") }
        guard let token = form["csrf"], let expected = request.cookies[Self.signInCookie]?.value, ConsoleForm.same(token, expected) else {
            return ConsolePage.plain(.forbidden, "The form's security token is missing or wrong. Reload the page and try again.")
        }
        let name = (form["name"] ?? "").trimmingCharacters(in: .whitespaces)
        let password = form["password"] ?? ""
        let keys = ["account:\(name.lowercased())", "address:\(peer ?? "unknown")"]
        guard await limiter.allows(keys) else {
            logger.notice("console: sign-in refused, too many attempts")
            return ConsolePage.plain(.tooManyRequests, text["tooMany"])
        }
        var officer: Officer?
        if Officer.isValidName(name) { officer = try await configuration.officers.officer(named: name) }
        // An unknown name costs as much as a wrong password, so timing does not tell names apart.
        let matches = Bcrypt.verify(password, hash: officer?.passwordHash ?? Self.unknownOfficerHash)
        guard let officer, matches else {
            await limiter.recordFailure(keys)
            logger.notice("console: sign-in failed")
            return signInPage(request, status: .unauthorized, message: text["wrongSignIn"])
        }
        let id = SecretToken.make()
        try await configuration.officers.save(OfficerSession(
            idHash: SecretToken.hash(id), officer: officer.name, csrfToken: SecretToken.make(),
            expiresAt: book.now().addingTimeInterval(configuration.sessionLifetime)))
        logger.info("console: officer signed in", metadata: ["officer": "\(officer.name)"])
        var response = ConsolePage.redirect("/console/requests")
        response.setCookie(cookie(Self.sessionCookie, id, maxAge: Int(configuration.sessionLifetime)))
        response.setCookie(cookie(Self.signInCookie, "", maxAge: 0))
        return response
    }

    func signOut(_ visit: Visit) async throws -> Response {
        try await configuration.officers.deleteSession(idHash: visit.session.idHash)
        logger.info("console: officer signed out", metadata: ["officer": "\(visit.officer)"])
        var response = ConsolePage.redirect("/console/sign-in")
        response.setCookie(cookie(Self.sessionCookie, "", maxAge: 0))
        return response
    }

    /// `HttpOnly; SameSite=Strict; Secure; Path=/`.
    func cookie(_ name: String, _ value: String, maxAge: Int) -> Cookie {
        Cookie(name: name, value: value, maxAge: maxAge, path: "/", secure: configuration.secureCookies, httpOnly: true, sameSite: .strict)
    }

    /// A hash no password matches, verified against when the name is unknown.
    static let unknownOfficerHash = Bcrypt.hash(SecretToken.make(), cost: OfficerAccounts.cost)
}
