import CallCenterExample
import Foundation
import Testing

@Suite("dsar access")
struct AccessCommandTests {
    static let amel = "email:amel.benali@example.tn"

    @Test("By default the package is an AES zip; the generated passphrase is printed once on stderr and opens it in 7z and bsdtar")
    func encryptedByDefault() throws {
        let example = try CLI.example()
        let out = example.directory.appendingPathComponent("amel.zip")
        let output = try CLI.run(["access", "--subject", Self.amel, "--out", out.path], in: example.directory)
        #expect(output.status == 0, "\(output.stderr)")
        let line = try #require(output.stderr.split(separator: "\n").first { $0.hasPrefix("Passphrase") })
        let passphrase = String(line.split(separator: ": ").last ?? "")
        #expect(passphrase.count >= 26)
        #expect(output.stderr.contains("another channel"))
        #expect(!output.stdout.contains(passphrase), "the passphrase is only on stderr")
        let passphraseFile = example.directory.appendingPathComponent("pass.txt")
        try Data((passphrase + "\n").utf8).write(to: passphraseFile)

        let sevenZip = try CLI.tool(["7z", "x", "-y", "-p\(passphrase)", "-o\(example.directory.path)/x7", out.path])
        #expect(sevenZip.status == 0, "\(sevenZip.stderr)")
        try FileManager.default.createDirectory(atPath: example.directory.path + "/xb", withIntermediateDirectories: true)
        let bsdtar = try CLI.tool(["bsdtar", "-x", "-f", out.path, "-C", example.directory.path + "/xb", "--passphrase", passphrase])
        #expect(bsdtar.status == 0, "\(bsdtar.stderr)")
        for folder in ["x7", "xb"] {
            let recording = example.directory.appendingPathComponent("\(folder)/files/recordings/voicemail/0021698123456_20260402T090000.wav")
            let original = example.recordingsURL.appendingPathComponent("voicemail/0021698123456_20260402T090000.wav")
            #expect(try Data(contentsOf: recording) == Data(contentsOf: original), "\(folder)")
        }

        let verified = try CLI.run(["verify", out.path, "--passphrase-file", passphraseFile.path])
        #expect(verified.status == 0, "\(verified.stderr)")
        #expect(verified.stdout.hasPrefix("OK"))
        let locked = try CLI.run(["verify", out.path])
        #expect(locked.status != 0)
        #expect(locked.stderr.contains("passphrase"))
    }

    @Test("--json prints path, format, size, SHA-256 and counts; --letter writes the cover letter", arguments: ["zip", "tar.gz", "tar.zst"])
    func json(_ format: String) throws {
        let example = try CLI.example()
        let out = example.directory.appendingPathComponent("amel.\(format)")
        let letter = example.directory.appendingPathComponent("letter.txt")
        let output = try CLI.run(["access", "--catalog", example.catalogURL.path, "--subject", Self.amel, "--out", out.path,
                                  "--no-encryption", "--json", "--letter", letter.path, "--request-id", "REQ-42", "--language", "fr"])
        #expect(output.status == 0, "\(output.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
        #expect(object["path"] as? String == out.path)
        #expect(object["format"] as? String == format)
        #expect(object["encrypted"] as? Bool == false)
        #expect((object["size"] as? Int) == (try FileManager.default.attributesOfItem(atPath: out.path)[.size] as? Int))
        let sha = try CLI.tool(["sha256sum", out.path]).stdout.prefix(64)
        #expect(object["sha256"] as? String == String(sha))
        #expect(object["records"] as? Int == 12)
        #expect(object["files"] as? Int == 5)
        #expect(object["requestID"] as? String == "REQ-42")
        #expect(output.stderr.isEmpty, "no passphrase, no progress bar when not on a terminal: \(output.stderr)")
        let text = try String(contentsOf: letter, encoding: .utf8)
        #expect(text.contains("REQ-42") && text.contains("Bonjour Amel Ben Ali"))
        let verified = try CLI.run(["verify", out.path, "--json"])
        #expect(verified.status == 0)
        let report = try JSONSerialization.jsonObject(with: Data(verified.stdout.utf8)) as? [String: Any]
        #expect(report?["valid"] as? Bool == true)
    }

    @Test("tar formats are refused with a passphrase, or without an explicit --no-encryption; nothing is written",
          arguments: ["tar.gz", "tar.zst"])
    func tarRefusesEncryption(_ format: String) throws {
        let example = try CLI.example()
        let passphraseFile = example.directory.appendingPathComponent("pass.txt")
        try Data("a-long-enough-passphrase\n".utf8).write(to: passphraseFile)
        for extra in [["--passphrase-file", passphraseFile.path], []] {
            let out = example.directory.appendingPathComponent("amel.\(format)")
            let output = try CLI.run(["access", "--subject", Self.amel, "--out", out.path] + extra, in: example.directory)
            #expect(output.status != 0)
            #expect(output.stderr.contains("cannot be encrypted"), "\(output.stderr)")
            #expect(!FileManager.default.fileExists(atPath: out.path))
        }
    }

    @Test("A missing recording: non-zero exit, an error naming store, collection and key, no file at --out")
    func missingRecording() throws {
        let example = try CLI.example()
        // Discovery reports the missing file as a problem; the package must not pretend it is complete.
        let voicemail = example.recordingsURL.appendingPathComponent("calls")
        let recordings = try FileManager.default.subpathsOfDirectory(atPath: voicemail.path).filter { $0.hasSuffix("call-2.wav") }
        try FileManager.default.removeItem(at: voicemail.appendingPathComponent(try #require(recordings.first)))
        let out = example.directory.appendingPathComponent("amel.zip")
        let output = try CLI.run(["access", "--subject", Self.amel, "--out", out.path, "--no-encryption"], in: example.directory)
        #expect(output.status != 0)
        #expect(output.stderr.contains("recordings[id=2]"), "\(output.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out.path))
        let left = try FileManager.default.contentsOfDirectory(atPath: example.directory.path).filter { $0.contains("amel.zip") }
        #expect(left.isEmpty, "no temporary file left: \(left)")
        let allowed = try CLI.run(["access", "--subject", Self.amel, "--out", out.path, "--no-encryption", "--allow-incomplete", "--json"],
                                  in: example.directory)
        #expect(allowed.status == 0, "\(allowed.stderr)")
        let files = try CLI.tool(["bsdtar", "-x", "-O", "-f", out.path, "manifest.json"])
        let manifest = try JSONSerialization.jsonObject(with: Data(files.stdout.utf8)) as? [String: Any]
        let problems = manifest?["problems"] as? [[String: Any]]
        #expect(problems?.count == 1)
        #expect(problems?.first?["collection"] as? String == "recordings")
    }

    @Test("--templates words the page and the letter with the controller's own templates")
    func customTemplates() throws {
        let example = try CLI.example()
        let folder = example.directory.appendingPathComponent("templates")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data("<h1>{{subjectName}}</h1>{{#collections}}<table></table>{{/collections}}".utf8)
            .write(to: folder.appendingPathComponent("index.en.mustache"))
        try Data("{{% CONTENT_TYPE: TEXT}}Hello {{subjectName}}, ref {{requestID}}".utf8).write(to: folder.appendingPathComponent("letter.en.mustache"))
        let out = example.directory.appendingPathComponent("amel.tar.zst")
        let letter = example.directory.appendingPathComponent("letter.txt")
        let output = try CLI.run(["access", "--subject", Self.amel, "--out", out.path, "--no-encryption", "--templates", folder.path,
                                  "--letter", letter.path, "--request-id", "R-1"], in: example.directory)
        #expect(output.status == 0, "\(output.stderr)")
        #expect(try String(contentsOf: letter, encoding: .utf8) == "Hello Amel Ben Ali, ref R-1\n")
        let page = try CLI.tool(["bsdtar", "-x", "-O", "-f", out.path, "index.html"]).stdout
        #expect(page == "<h1>Amel Ben Ali</h1>" + String(repeating: "<table></table>", count: 5))
        let french = try CLI.run(["access", "--subject", Self.amel, "--out", out.path + ".fr.zip", "--no-encryption",
                                  "--templates", folder.path, "--language", "fr"], in: example.directory)
        #expect(french.status != 0, "no French template in the folder")
        #expect(french.stderr.contains("index.fr.mustache"), "\(french.stderr)")
    }

    @Test("An existing --out is kept unless --force")
    func existingOut() throws {
        let example = try CLI.example()
        let out = example.directory.appendingPathComponent("amel.zip")
        try Data("keep me".utf8).write(to: out)
        let refused = try CLI.run(["access", "--subject", Self.amel, "--out", out.path, "--no-encryption"], in: example.directory)
        #expect(refused.status != 0)
        #expect(try Data(contentsOf: out) == Data("keep me".utf8))
        let forced = try CLI.run(["access", "--subject", Self.amel, "--out", out.path, "--no-encryption", "--force"], in: example.directory)
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(try CLI.run(["verify", out.path]).status == 0)
    }
}

@Suite("dsar access when the disk refuses")
struct AccessDiskFullTests {
    @Test("A write that fails mid-package (file size limit, like a full disk): non-zero exit, the reason, nothing left")
    func writeFails() throws {
        let example = try CLI.example()
        let out = example.directory.appendingPathComponent("amel.zip")
        // SIGXFSZ ignored, so write() fails with EFBIG once the package passes 40 KiB.
        let script = "trap '' XFSZ; ulimit -f 40; exec \"$0\" \"$@\""
        let output = try CLI.tool(["bash", "-c", script, CLI.binary.path, "access", "--catalog", example.catalogURL.path,
                                   "--subject", "email:amel.benali@example.tn", "--out", out.path, "--no-encryption"])
        #expect(output.status != 0)
        #expect(output.stderr.contains("File too large"), "\(output.stderr)")
        let left = try FileManager.default.contentsOfDirectory(atPath: example.directory.path).filter { $0.contains("amel.zip") }
        #expect(left.isEmpty, "nothing at --out, no temporary file: \(left)")
    }
}
