import CallCenterExample
import Foundation
import Testing

@Suite("dsar verify")
struct VerifyCommandTests {
    @Test("passes on a good package and fails, naming the first mismatch, on truncated, flipped and extra-entry copies",
          arguments: ["zip", "tar.gz", "tar.zst"])
    func damagedCopies(_ format: String) throws {
        let example = try CLI.example()
        let out = example.directory.appendingPathComponent("amel.\(format)")
        let written = try CLI.run(["access", "--subject", "email:amel.benali@example.tn", "--out", out.path, "--no-encryption"],
                                  in: example.directory)
        try #require(written.status == 0, "\(written.stderr)")
        #expect(try CLI.run(["verify", out.path]).status == 0)
        let original = try Data(contentsOf: out)

        func check(_ name: String, _ data: Data) throws -> CLI.Output {
            let copy = example.directory.appendingPathComponent("\(name).\(format)")
            try data.write(to: copy)
            return try CLI.run(["verify", copy.path])
        }
        let truncated = try check("truncated", original.prefix(original.count * 2 / 3))
        #expect(truncated.status != 0)
        #expect(truncated.stderr.contains("damaged") || truncated.stderr.contains("truncated") || truncated.stderr.contains("missing"),
                "\(truncated.stderr)")
        var flippedData = original
        flippedData[original.count / 2] ^= 0x01
        let flipped = try check("flipped", flippedData)
        #expect(flipped.status != 0)
        #expect(flipped.stderr.contains("files/recordings/") || flipped.stderr.contains("damaged"), "names the entry: \(flipped.stderr)")

        let folder = example.directory.appendingPathComponent("unpacked")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try #require(try CLI.tool(["bsdtar", "-x", "-f", out.path, "-C", folder.path]).status == 0)
        try Data("not from us".utf8).write(to: folder.appendingPathComponent("files/extra.txt"))
        let repacked = example.directory.appendingPathComponent("extra.\(format)")
        let options: [String] = switch format {
        case "zip": ["--format", "zip"]
        case "tar.gz": ["-z"]
        default: ["--zstd"]
        }
        let pack = try CLI.tool(["bsdtar", "-c", "-f", repacked.path] + options + ["-C", folder.path, "index.html", "data", "files", "manifest.json"])
        try #require(pack.status == 0, "\(pack.stderr)")
        let extra = try CLI.run(["verify", repacked.path])
        #expect(extra.status != 0)
        #expect(extra.stderr.contains("extra: files/extra.txt"), "\(extra.stderr)")
    }
}
