import DSARKit
import DSARKitService
import DSARKitTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import HummingbirdWSClient
import Logging
import Synchronization
import Testing

/// The console in a real headless Chromium (installed by `.ci/run`), driven through the
/// DevTools protocol: sign in, open a request, verify it, preview, run an access request and
/// download its package, approve an erasure. Screenshots go to a temporary folder, and to
/// Docs/images when DSAR_CONSOLE_SCREENSHOTS=1.
@Suite("The console in Chromium")
struct ConsoleBrowserTests {
    /// What the pages showed, read in the browser and checked once the browser is closed.
    struct Seen: Sendable {
        var afterSignIn = ""
        var listIDs: [String] = []
        var verification = ""
        var preview = ""
        var passphraseLength = 0
        var download: [Int] = []
        var secondDownload = 0
        var plan = ""
        var outcome = ""
        var notices = ""
        var screenshots: [String: Data] = [:]
    }

    final class SeenBox: Sendable {
        let value = Mutex(Seen())
    }

    @Test("Sign in, verify, preview, package and download, approve an erasure: what the pages show")
    func fullFlow() async throws {
        let fixture = try await ConsoleFixture()
        let password = try await fixture.addOfficer("alice")
        let access = try await fixture.book.open(.access, subject: try fixture.subject("email:\(ConsoleFixture.amelEmail)"), channel: .email)
        let erasure = try await fixture.book.open(.erasure, subject: try fixture.subject("customer_id:2"), channel: .phone)
        try await fixture.book.verify(erasure.id, method: "ID card seen at the counter")
        let seen = SeenBox()

        try await fixture.application().test(.live) { client in
            let port = try #require(client.port)
            let base = "http://localhost:\(port)/console"
            let chromium = try Chromium(profile: fixture.folder.appendingPathComponent("chromium"))
            defer { chromium.stop() }
            let socket = try await chromium.pageWebSocket()
            try await WebSocketClient.connect(url: socket, configuration: .init(maxFrameSize: 1 << 26),
                                              logger: Logger(label: "devtools") { _ in SwiftLogNoOpLogHandler() }) { inbound, outbound, _ in
                let page = DevToolsPage(inbound, outbound)
                try await page.send("Page.enable")
                try await page.send("Emulation.setDeviceMetricsOverride", ["width": 1200, "height": 900, "deviceScaleFactor": 1, "mobile": false])
                func shot(_ name: String) async throws {
                    let png = try await page.screenshot()
                    seen.value.withLock { $0.screenshots[name] = png }
                }

                try await page.open("\(base)/sign-in?lang=en")
                try await shot("console-sign-in")
                try await page.submit(["#name": "alice", "#password": password], click: "#sign-in")
                let officer = try await page.text("#officer")
                let ids = try await page.evaluate("[...document.querySelectorAll('tr.request')].map(r => r.dataset.id)") as? [String] ?? []
                seen.value.withLock { $0.afterSignIn = officer; $0.listIDs = ids }
                try await shot("console-requests")

                try await page.open("\(base)/requests/\(access.id)")
                try await page.submit(["#method": "reply from the address on file"], click: "#verify")
                let request = try await page.text("#request")
                seen.value.withLock { $0.verification = request }
                try await shot("console-request")

                try await page.open("\(base)/requests/\(access.id)/preview")
                let preview = try await page.text("main")
                seen.value.withLock { $0.preview = preview }
                try await shot("console-preview")

                try await page.open("\(base)/requests/\(access.id)/run")
                try await page.submit([:], click: "#make-package")
                try await page.waitForElement("#passphrase")
                let passphrase = try await page.text("#passphrase")
                try await shot("console-package")
                let download = try await page.evaluate("""
                    (async () => { const r = await fetch(document.querySelector('#download').href);
                      const b = new Uint8Array(await r.arrayBuffer()); return [r.status, b.length, b[0], b[1]]; })()
                    """) as? [Int] ?? []
                let again = try await page.evaluate("fetch(document.querySelector('#download').href).then(r => r.status)") as? Int ?? 0
                seen.value.withLock { $0.passphraseLength = passphrase.count; $0.download = download; $0.secondDownload = again }

                try await page.open("\(base)/requests/\(erasure.id)/run")
                let plan = try await page.text("#plan")
                try await shot("console-erasure-plan")
                try await page.submit([:], click: "#approve")
                try await page.waitForElement("#outcome")
                let outcome = try await page.text("#outcome")
                let notices = try await page.text("#notices")
                try await shot("console-erasure")
                seen.value.withLock { $0.plan = plan; $0.outcome = outcome; $0.notices = notices }
                try await outbound.close(.normalClosure, reason: nil)
            }
        }

        let result = seen.value.withLock { $0 }
        #expect(result.afterSignIn == "Signed in as alice")
        #expect(result.listIDs == [access.id, erasure.id])
        #expect(result.verification.contains("reply from the address on file (officer alice)"))
        let previewNamesKeys = result.preview.contains("customers[id=1]") && result.preview.contains("calls[id=10]")
        #expect(previewNamesKeys)
        #expect(ConsoleFixture.leaks(in: result.preview) == 0, "the preview shows keys, never contents")
        #expect(result.passphraseLength >= Passphrase.minimumLength)
        #expect(result.download.count == 4 && result.download[0] == 200 && result.download[1] > 500)
        #expect(result.download.suffix(2) == [0x50, 0x4B], "a zip")
        #expect(result.secondDownload == 410, "the link works once")
        #expect(result.plan.contains("customers"))
        #expect(result.outcome == "Erasure complete: verification found nothing left.")
        #expect(result.notices.contains("Carrier: Aramex Tunisie"))
        #expect(try await fixture.book.request(access.id).status == .completed)
        #expect(try await fixture.book.request(erasure.id).status == .completed)

        #expect(result.screenshots.count == 7)
        let keep = ProcessInfo.processInfo.environment["DSAR_CONSOLE_SCREENSHOTS"] == "1"
        let images = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../Docs/images").standardized
        for (name, png) in result.screenshots {
            #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]) && png.count > 10_000, "\(name) is a PNG with content")
            try png.write(to: fixture.folder.appendingPathComponent("\(name).png"))
            if keep { try png.write(to: images.appendingPathComponent("\(name).png")) }
        }
    }
}

/// A headless Chromium with DevTools on a port it chooses (`--remote-debugging-port=0`).
final class Chromium: @unchecked Sendable {
    let process: Process
    let profile: URL

    init(profile: URL) throws {
        self.profile = profile
        try FileManager.default.createDirectory(at: profile, withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
                             "--remote-debugging-port=0", "--remote-allow-origins=*", "--user-data-dir=\(profile.path)", "--window-size=1200,900", "about:blank"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        self.process = process
    }

    func stop() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }

    /// The WebSocket of the browser's page, from `DevToolsActivePort` in the profile and `/json/list`.
    func pageWebSocket() async throws -> String {
        let file = profile.appendingPathComponent("DevToolsActivePort")
        var port: String?
        for _ in 0..<600 where port == nil {
            if let text = try? String(contentsOf: file, encoding: .utf8), let first = text.split(separator: "\n").first {
                port = String(first)
            } else {
                try await Task.sleep(for: .milliseconds(100))
            }
        }
        guard let port else { throw DevToolsError(message: "Chromium did not write DevToolsActivePort") }
        let curl = Process()
        curl.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        curl.arguments = ["curl", "-s", "http://127.0.0.1:\(port)/json/list"]
        let pipe = Pipe()
        curl.standardOutput = pipe
        try curl.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        curl.waitUntilExit()
        let targets = try JSONSerialization.jsonObject(with: data) as? [[String: Any]] ?? []
        guard let socket = targets.first(where: { $0["type"] as? String == "page" })?["webSocketDebuggerUrl"] as? String else {
            throw DevToolsError(message: "no page target")
        }
        return socket
    }
}
