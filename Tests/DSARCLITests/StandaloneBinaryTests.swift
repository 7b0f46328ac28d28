import Foundation
import Testing

/// `dsar` is one file: its page and letter templates are compiled in.
@Suite("dsar as one binary")
struct StandaloneBinaryTests {
    @Test("dsar copied alone into an empty folder writes a package with its page and cover letter, in English and French")
    func copiedAlone() throws {
        let example = try CLI.example()
        let bin = example.directory.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        let copy = bin.appendingPathComponent("dsar")
        try FileManager.default.copyItem(at: CLI.binary, to: copy)
        #expect(try FileManager.default.contentsOfDirectory(atPath: bin.path) == ["dsar"])
        for (language, heading) in [("en", "Your personal data held by"), ("fr", "Vos données personnelles")] {
            let out = example.directory.appendingPathComponent("amel-\(language).zip")
            let letter = example.directory.appendingPathComponent("letter-\(language).txt")
            let output = try CLI.launch(copy, ["access", "--subject", AccessCommandTests.amel, "--out", out.path, "--no-encryption",
                                               "--language", language, "--letter", letter.path], in: example.directory)
            #expect(output.status == 0, "\(output.stderr)")
            let page = try CLI.tool(["bsdtar", "-x", "-O", "-f", out.path, "index.html"])
            #expect(page.status == 0 && page.stdout.contains(heading), "\(language): \(page.stdout.prefix(300))")
            #expect(try String(contentsOf: letter, encoding: .utf8).contains("Atlas Contact SARL"), "\(language)")
        }
        // On another machine there is no build folder to fall back on: the binary must not look
        // for a resource bundle at all (SwiftPM's accessor names it, beside the binary or in .build).
        let bytes = try Data(contentsOf: copy)
        #expect(bytes.range(of: Data("DSARKit_DSARKit.resources".utf8)) == nil, "dsar still looks for DSARKit_DSARKit.resources")
    }
}
