import CallCenterExample
import DSARKit
import Foundation
import Testing

/// Opens `index.html` of a real package in headless Chromium (installed by `.ci/run`).
@Suite("index.html in a browser")
struct AccessPageBrowserTests {
    static func chromium(_ arguments: [String], profile: URL) throws -> ExternalTool.Output {
        try ExternalTool.run(["timeout", "120", "chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                              "--user-data-dir=\(profile.path)"] + arguments)
    }

    @Test("Chromium renders the subject's name, one table per collection and one audio player per recording")
    func rendersInChromium() async throws {
        let fixture = try AccessFixture()
        let person = try #require(fixture.dataSet.person(email: AccessPackageTests.amel))
        let (url, summary) = try await fixture.write(person.email, AccessFixture.options(.zip))
        let folder = try AccessFixture.extract(url, with: "bsdtar")
        let page = folder.appendingPathComponent("index.html")
        let profile = url.deletingLastPathComponent().appendingPathComponent("chromium-profile")

        let dom = try Self.chromium(["--dump-dom", page.absoluteString], profile: profile)
        try #require(dom.status == 0, "chromium --dump-dom failed: \(dom.stderr.suffix(500))")
        let html = dom.stdout
        #expect(html.contains("<h1 id=\"subject-name\">\(person.fullName)</h1>"))
        #expect(Self.count("<table", in: html) == summary.collections.count)
        #expect(summary.collections.count == 5)
        let audioFiles = AccessFixture.files(below: folder).filter { $0.hasPrefix("files/") && $0.hasSuffix(".wav") }
        #expect(Self.count("<audio controls", in: html) == audioFiles.count)
        #expect(audioFiles.count == fixture.dataSet.expectation(for: person).files.count)
        for file in audioFiles {
            #expect(html.contains("src=\"\(file)\""), "a player for \(file), pointing inside the package")
        }

        let screenshot = url.deletingLastPathComponent().appendingPathComponent("access-index.png")
        let shot = try Self.chromium(["--screenshot=\(screenshot.path)", "--window-size=1200,2400", page.absoluteString], profile: profile)
        try #require(shot.status == 0, "chromium --screenshot failed: \(shot.stderr.suffix(500))")
        let png = try Data(contentsOf: screenshot)
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]), "a PNG")
        #expect(Self.bigEndian(png, at: 16) == 1200 && Self.bigEndian(png, at: 20) == 2400, "of the window's size")
        #expect(png.count > 100_000, "with content, not a blank page")
        if let keep = ProcessInfo.processInfo.environment["DSAR_SCREENSHOT_OUT"] {
            try? FileManager.default.removeItem(atPath: keep)
            try FileManager.default.copyItem(at: screenshot, to: URL(fileURLWithPath: keep))
        }
    }

    static func count(_ needle: String, in text: String) -> Int {
        text.components(separatedBy: needle).count - 1
    }

    static func bigEndian(_ data: Data, at offset: Int) -> UInt32 {
        data[offset..<offset + 4].reduce(0) { $0 << 8 | UInt32($1) }
    }
}
