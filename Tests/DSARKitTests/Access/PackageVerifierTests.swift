import DSARKit
import Foundation
import Testing

@Suite("Verifying packages")
struct PackageVerifierTests {
    static let variants = AccessPackageTests.variants

    func package(_ variant: AccessPackageTests.Variant) async throws -> URL {
        try await AccessFixture().write(AccessPackageTests.amel, AccessFixture.options(variant.format, encrypted: variant.encrypted)).0
    }

    func copy(_ url: URL, _ name: String, _ change: (inout Data) -> Void) throws -> URL {
        var data = try Data(contentsOf: url)
        change(&data)
        let copy = url.deletingLastPathComponent().appendingPathComponent(name + "." + url.lastPathComponent)
        try data.write(to: copy)
        return copy
    }

    func invalid(_ url: URL, passphrase: Passphrase?) -> String? {
        do {
            let report = try PackageVerifier.verify(url, passphrase: passphrase)
            return report.isValid ? nil : report.mismatches.first?.description ?? "invalid"
        } catch {
            return "\(error)"
        }
    }

    @Test("Truncated copies fail, including a zip missing only its last byte", arguments: variants)
    func truncated(_ variant: AccessPackageTests.Variant) async throws {
        let url = try await package(variant)
        let passphrase = variant.encrypted ? AccessFixture.passphrase : nil
        #expect(invalid(url, passphrase: passphrase) == nil)
        for keep in [0.5, 0.9] {
            let cut = try copy(url, "cut\(keep)") { $0 = $0.prefix(Int(Double($0.count) * keep)) }
            #expect(invalid(cut, passphrase: passphrase) != nil, "kept \(keep)")
        }
        let lastByte = try copy(url, "last") { $0.removeLast() }
        #expect(invalid(lastByte, passphrase: passphrase) != nil)
    }

    @Test("Copies with one flipped bit fail", arguments: variants)
    func flipped(_ variant: AccessPackageTests.Variant) async throws {
        let url = try await package(variant)
        let passphrase = variant.encrypted ? AccessFixture.passphrase : nil
        for fraction in [0.1, 0.25, 0.5, 0.75] {
            let flipped = try copy(url, "flip\(fraction)") { data in
                let position = Int(Double(data.count) * fraction)
                data[position] ^= 0x04
            }
            #expect(invalid(flipped, passphrase: passphrase) != nil, "bit flipped at \(fraction) of the file")
        }
    }

    @Test("A copy repacked by bsdtar with one more entry fails, naming that entry", arguments: variants)
    func extraEntry(_ variant: AccessPackageTests.Variant) async throws {
        let url = try await package(variant)
        let passphrase = variant.encrypted ? AccessFixture.passphrase : nil
        let folder = try AccessFixture.extract(url, with: "bsdtar", passphrase: passphrase)
        let repacked = url.deletingLastPathComponent().appendingPathComponent("repacked." + variant.format.fileExtension)
        var arguments = ["bsdtar", "-c", "-f", repacked.path]
        switch variant.format {
        case .zip: arguments += ["--format", "zip"]
        case .tarGzip: arguments += ["-z", "--format", "pax"]
        case .tarZstd: arguments += ["--zstd", "--format", "pax"]
        }
        if let passphrase { arguments += ["--options", "zip:encryption=aes256", "--passphrase", passphrase.value] }
        // The same entries as before: the repacked copy passes.
        let same = try ExternalTool.run(arguments + ["-C", folder.path, "index.html", "data", "files", "manifest.json"])
        try #require(same.status == 0, "\(same.stderr)")
        #expect(invalid(repacked, passphrase: passphrase) == nil, "a faithful repack still verifies")
        try Data("hello".utf8).write(to: folder.appendingPathComponent("data/extra.txt"))
        try FileManager.default.removeItem(at: repacked)
        let extra = try ExternalTool.run(arguments + ["-C", folder.path, "index.html", "data", "files", "manifest.json"])
        try #require(extra.status == 0, "\(extra.stderr)")
        let mismatch = try #require(invalid(repacked, passphrase: passphrase))
        #expect(mismatch.contains("extra") && mismatch.contains("data/extra.txt"), "\(mismatch)")
    }

    @Test("A changed file with the manifest left alone fails, and a missing file is named")
    func changedAndMissing() async throws {
        let url = try await package(.init(format: .tarZstd, encrypted: false))
        let folder = try AccessFixture.extract(url, with: "bsdtar")
        try Data("[]\n".utf8).write(to: folder.appendingPathComponent("data/calls.json"))
        try FileManager.default.removeItem(at: folder.appendingPathComponent("data/consents.csv"))
        let repacked = url.deletingLastPathComponent().appendingPathComponent("changed.tar.zst")
        let output = try ExternalTool.run(["bsdtar", "-c", "--zstd", "-f", repacked.path, "-C", folder.path,
                                           "index.html", "data", "files", "manifest.json"])
        try #require(output.status == 0)
        let report = try PackageVerifier.verify(repacked)
        #expect(!report.isValid)
        #expect(report.mismatches.contains { $0.kind == .changed && $0.path == "data/calls.json" })
        #expect(report.mismatches.contains { $0.kind == .missing && $0.path == "data/consents.csv" })
    }

    @Test("A file that is not a package is refused with a clear error")
    func notAPackage() throws {
        let folder = try ExampleData.temporaryFolder()
        let url = folder.appendingPathComponent("notes.txt")
        try Data("hello".utf8).write(to: url)
        #expect(throws: DSARError.self) { try PackageVerifier.verify(url) }
    }
}
