import CallCenterExample
import DSARKit
import Foundation
import Testing

/// Opens the Arabic `index.html` of a real package in headless Chromium (installed by `.ci/run`).
@Suite("The Arabic index.html in a browser")
struct ArabicPageBrowserTests {
    /// Measures the laid-out page: written into the body's `data-probe` attribute, read back with `--dump-dom`.
    static let probe = """
        <script>
        (() => {
          const out = {};
          const h1 = document.querySelector('h1');
          out.direction = getComputedStyle(h1).direction;
          const range = document.createRange(); range.selectNodeContents(h1);
          const text = range.getBoundingClientRect(), box = h1.getBoundingClientRect();
          out.titleGapRight = Math.round(box.right - text.right);
          out.titleGapLeft = Math.round(text.left - box.left);
          const heads = [...document.querySelector('section.collection table').querySelectorAll('thead th')];
          out.firstColumnRight = Math.round(heads[0].getBoundingClientRect().right);
          out.lastColumnRight = Math.round(heads[heads.length - 1].getBoundingClientRect().right);
          const players = [...document.querySelectorAll('audio')];
          out.players = players.length;
          out.visiblePlayers = players.filter(a => { const r = a.getBoundingClientRect(); return r.width > 100 && r.height > 10; }).length;
          document.body.setAttribute('data-probe', JSON.stringify(out));
        })();
        </script>
        """

    struct Probe: Decodable {
        var direction: String
        var titleGapRight: Int
        var titleGapLeft: Int
        var firstColumnRight: Int
        var lastColumnRight: Int
        var players: Int
        var visiblePlayers: Int
    }

    @Test("Chromium lays the Arabic page out right to left, with one visible audio player per recording")
    func rendersRightToLeft() async throws {
        let fixture = try AccessFixture()
        let person = try #require(fixture.dataSet.person(email: AccessPackageTests.amel))
        let (url, _) = try await fixture.write(person.email, AccessFixture.options(.zip, language: try ArabicPackageTests.arabic()))
        let folder = try AccessFixture.extract(url, with: "bsdtar")
        let page = folder.appendingPathComponent("index.html")
        let profile = url.deletingLastPathComponent().appendingPathComponent("chromium-profile")
        let audioFiles = AccessFixture.files(below: folder).filter { $0.hasPrefix("files/") && $0.hasSuffix(".wav") }
        #expect(audioFiles.count == fixture.dataSet.expectation(for: person).files.count)

        // The page as shipped: the DOM Chromium built says right to left, and holds the players.
        let dom = try AccessPageBrowserTests.chromium(["--dump-dom", page.absoluteString], profile: profile)
        try #require(dom.status == 0, "chromium --dump-dom failed: \(dom.stderr.suffix(500))")
        #expect(dom.stdout.contains("<html lang=\"ar\" dir=\"rtl\">"))
        #expect(AccessPageBrowserTests.count("<audio controls", in: dom.stdout) == audioFiles.count)
        for file in audioFiles {
            #expect(dom.stdout.contains("src=\"\(file)\""), "a player for \(file), pointing inside the package")
        }

        // The same page with a measuring script beside it: where Chromium actually put things.
        let html = try String(contentsOf: page, encoding: .utf8)
        let probed = folder.appendingPathComponent("probe.html")
        try html.replacingOccurrences(of: "</body>", with: Self.probe + "\n</body>").write(to: probed, atomically: true, encoding: .utf8)
        let measured = try AccessPageBrowserTests.chromium(["--window-size=1200,2400", "--dump-dom", probed.absoluteString], profile: profile)
        try #require(measured.status == 0, "chromium --dump-dom failed: \(measured.stderr.suffix(500))")
        let attribute = try #require(measured.stdout.components(separatedBy: "data-probe=\"").dropFirst().first?
            .components(separatedBy: "\"").first, "the probe ran")
        let json = attribute.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&amp;", with: "&")
        let probe = try JSONDecoder().decode(Probe.self, from: Data(json.utf8))
        #expect(probe.direction == "rtl")
        #expect(probe.titleGapRight < 2 && probe.titleGapLeft > 200, "the name sits at the right: \(probe)")
        #expect(probe.firstColumnRight > probe.lastColumnRight, "the table's first column is its rightmost: \(probe)")
        #expect(probe.players == audioFiles.count && probe.visiblePlayers == audioFiles.count, "\(probe)")

        let screenshot = url.deletingLastPathComponent().appendingPathComponent("access-index-ar.png")
        let shot = try AccessPageBrowserTests.chromium(["--screenshot=\(screenshot.path)", "--window-size=1000,1500", page.absoluteString],
                                                       profile: profile)
        try #require(shot.status == 0, "chromium --screenshot failed: \(shot.stderr.suffix(500))")
        let png = try Data(contentsOf: screenshot)
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]), "a PNG")
        #expect(AccessPageBrowserTests.bigEndian(png, at: 16) == 1000 && AccessPageBrowserTests.bigEndian(png, at: 20) == 1500)
        #expect(png.count > 50_000, "with content, not a blank page")
        if let keep = ProcessInfo.processInfo.environment["DSAR_SCREENSHOT_OUT_AR"] {
            try? FileManager.default.removeItem(atPath: keep)
            try FileManager.default.copyItem(at: screenshot, to: URL(fileURLWithPath: keep))
        }
    }
}
