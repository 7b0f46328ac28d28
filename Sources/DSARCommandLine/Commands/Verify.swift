import ArgumentParser
import DSARKit
import Foundation

extension DSAR {
    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a package against its manifest: every file present, same size and SHA-256, nothing extra.",
            discussion: "Reads every entry to its end. Exits non-zero naming the first mismatch (a truncated, damaged or changed package)."
        )

        @Argument(help: ArgumentHelp("The package (zip, tar.gz or tar.zst).", valueName: "package"))
        var package: String

        @Option(name: .long, help: ArgumentHelp("The passphrase of an encrypted package, on the first line of this file.", valueName: "file"))
        var passphraseFile: String?

        @Flag(help: "Print one JSON object: format, entries, bytes, request id, mismatches, valid.")
        var json = false

        func run() async throws {
            let passphrase = try passphraseFile.map { try Passphrase(contentsOf: URL(fileURLWithPath: $0)) }
            let report = try PackageVerifier.verify(URL(fileURLWithPath: package), passphrase: passphrase)
            if json {
                print(try JSONOutput.text(report))
            }
            guard report.isValid, let manifest = report.manifest else {
                let first = report.mismatches.first?.description ?? "the package could not be checked"
                let more = report.mismatches.count > 1 ? " (and \(report.mismatches.count - 1) more)" : ""
                FileHandle.printError("dsar: the package does not match its manifest: \(first)\(more)")
                throw ExitCode(1)
            }
            if !json {
                print("OK: \(package) (\(report.format)\(report.encrypted ? ", encrypted" : "")): \(manifest.files.count) files and the " +
                      "manifest match, \(report.bytes) bytes read. Request \(manifest.requestID), generated \(manifest.generatedAt).")
            }
        }
    }
}
