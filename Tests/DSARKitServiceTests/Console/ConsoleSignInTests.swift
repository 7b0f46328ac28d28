import DSARKit
import DSARKitService
import Foundation
import Hummingbird
import HummingbirdBcrypt
import HummingbirdTesting
import Testing

@Suite("Console sign-in")
struct ConsoleSignInTests {
    @Test("The right password opens a session in an HttpOnly, SameSite=Strict, Secure cookie; pages carry the security headers")
    func signInSucceeds() async throws {
        let fixture = try await ConsoleFixture()
        let password = try await fixture.addOfficer("alice")
        try await fixture.application().test(.router) { client in
            let browser = ConsoleSession(client)
            let page = try await browser.get("/console/requests")
            #expect(page.status == .seeOther && page.location == "/console/sign-in", "signed out, a page sends to sign-in")
            let response = try await browser.signIn("alice", password)
            #expect(response.status == .seeOther && response.location == "/console/requests")
            let cookie = try #require(browser.setCookies.last { $0.hasPrefix("dsar_session=") })
            for flag in ["HttpOnly", "SameSite=Strict", "Secure", "Path=/"] { #expect(cookie.contains(flag), "the session cookie has \(flag)") }
            let list = try await browser.get("/console/requests")
            #expect(list.status == .ok)
            #expect(list.text.contains("<span id=\"officer\">Signed in as alice</span>"))
            #expect(list.header("Content-Security-Policy")?.contains("default-src 'self'") == true)
            #expect(list.header("X-Frame-Options") == "DENY")
            #expect(list.headers[.cacheControl] == "no-store")
            #expect(!list.text.contains("<script"), "no script on the page")
        }
    }

    @Test("A wrong password is refused with 401 and no session")
    func wrongPassword() async throws {
        let fixture = try await ConsoleFixture()
        _ = try await fixture.addOfficer("alice")
        try await fixture.application().test(.router) { client in
            let browser = ConsoleSession(client)
            let response = try await browser.signIn("alice", "not-the-password")
            #expect(response.status == .unauthorized)
            #expect(response.text.contains("Wrong name or password."))
            #expect(browser.cookies["dsar_session"] == nil)
            let unknown = try await browser.signIn("nobody", "whatever-it-is")
            #expect(unknown.status == .unauthorized, "an unknown name answers as a wrong password does")
        }
    }

    @Test("After 5 failed attempts an account is refused with 429, even with the right password; so is the address")
    func rateLimited() async throws {
        let fixture = try await ConsoleFixture()
        let password = try await fixture.addOfficer("alice")
        let bobPassword = try await fixture.addOfficer("bob")
        try await fixture.application().test(.router) { client in
            let browser = ConsoleSession(client)
            for _ in 1...5 {
                #expect(try await browser.signIn("alice", "wrong-password").status == .unauthorized)
            }
            let limited = try await browser.signIn("alice", password)
            #expect(limited.status == .tooManyRequests)
            #expect(limited.text.contains("Too many sign-in attempts"))
            #expect(browser.cookies["dsar_session"] == nil)
            // The same address (every router-test client has the same) is limited too, for any account.
            #expect(try await browser.signIn("bob", bobPassword).status == .tooManyRequests)
        }
        // 15 minutes later, the right password works again.
        fixture.clock.set(fixture.clock.now.addingTimeInterval(15 * 60 + 1))
        try await fixture.application().test(.router) { client in
            let again = try await ConsoleSession(client).signIn("alice", password)
            #expect(again.status == .seeOther, "15 minutes later the right password works again")
        }
    }

    @Test("A form posted without its CSRF token is refused with 403 and changes nothing")
    func csrfMissing() async throws {
        let fixture = try await ConsoleFixture()
        let password = try await fixture.addOfficer("alice")
        let request = try await fixture.book.open(.access, subject: try fixture.subject("customer_id:1"))
        try await fixture.application().test(.router) { client in
            let browser = ConsoleSession(client)
            try await browser.get("/console/sign-in")
            let noToken = try await browser.post("/console/sign-in", ["name": "alice", "password": password, "csrf": ""])
            #expect(noToken.status == .forbidden, "sign-in without the form's token")
            #expect(try await browser.signIn("alice", password).status == .seeOther)
            let response = try await browser.post("/console/requests/\(request.id)/verify", ["method": "called back"], csrf: false)
            #expect(response.status == .forbidden)
            let wrong = try await browser.post("/console/requests/\(request.id)/verify", ["method": "called back", "csrf": "forged"])
            #expect(wrong.status == .forbidden)
            #expect(try await fixture.book.request(request.id).verification == nil)
        }
    }

    @Test("Signing out ends the session: its cookie no longer opens a page")
    func signOut() async throws {
        let fixture = try await ConsoleFixture()
        let password = try await fixture.addOfficer("alice")
        try await fixture.application().test(.router) { client in
            let browser = ConsoleSession(client)
            try await browser.signIn("alice", password)
            let session = try #require(browser.cookies["dsar_session"])
            try await browser.get("/console/requests")
            let out = try await browser.post("/console/sign-out", [:])
            #expect(out.status == .seeOther && out.location == "/console/sign-in")
            let replay = try await client.execute(uri: "/console/requests", method: .get, headers: [.cookie: "dsar_session=\(session)"])
            #expect(replay.status == .seeOther, "the old session id signs nobody in")
        }
    }

    @Test("`users add` makes a first password of 20 characters, stored only as a bcrypt hash of cost 12")
    func addOfficer() async throws {
        let fixture = try await ConsoleFixture()
        let password = try await fixture.addOfficer("alice")
        #expect(password.count >= 16)
        let officer = try #require(try await fixture.officers.officer(named: "alice"))
        #expect(officer.passwordHash.hasPrefix("$2b$12$"))
        #expect(Bcrypt.verify(password, hash: officer.passwordHash))
        let file = try Data(contentsOf: fixture.folder.appendingPathComponent(".dsar/dsar-service.sqlite"))
        #expect(file.range(of: Data(password.utf8)) == nil, "the password is not in the file")
        await #expect(throws: DSARError.self) { try await fixture.addOfficer("alice") }
        await #expect(throws: DSARError.self) { try await fixture.addOfficer("bad name") }
    }
}
