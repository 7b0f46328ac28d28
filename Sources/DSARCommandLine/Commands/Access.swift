import ArgumentParser
import DSARKit
import Foundation

extension DSAR {
    struct Access: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Answer an access (Art. 15) or portability (Art. 20) request with one verifiable package.",
            discussion: """
            Finds everything held on the person (as `dsar discover`) and writes one archive: index.html \
            (a plain-language page with your Art. 15 information, tables and playable recordings), \
            data/<collection>.json and .csv, files/<store>/<path> (every recording, byte for byte) and \
            manifest.json (SHA-256 of every file). Other people's records are never included.

            Encrypted by default (AES-256 zip): with --passphrase-file, or a generated passphrase printed \
            once on stderr, to send to the person by another channel (SMS, phone), never with the package. \
            AES zips open with 7-Zip, Keka, The Unarchiver or Windows 11; Info-ZIP `unzip` cannot read them. \
            tar.gz and tar.zst cannot be encrypted: they need --no-encryption. Check a package with `dsar verify`.
            """
        )

        @OptionGroup var options: CatalogOptions
        @OptionGroup var subject: SubjectOptions
        @OptionGroup var scope: ScopeOptions

        @Option(name: .long, help: ArgumentHelp("Where to write the package.", valueName: "path"))
        var out: String

        @Option(name: .long, help: ArgumentHelp("zip, tar.gz or tar.zst.", discussion: "Default: from the --out extension, else zip."))
        var format: PackageFormat?

        @Option(name: .long, help: ArgumentHelp("Encrypt with the passphrase on the first line of this file (zip only).", valueName: "file"))
        var passphraseFile: String?

        @Flag(name: .long, help: "Write the package unencrypted (an explicit choice; required for tar formats).")
        var noEncryption = false

        @Option(name: .long, help: "Language of index.html and the cover letter: en, fr or ar (Arabic, right to left).")
        var language: PackageLanguage = .en

        @Flag(name: .long, help: "Art. 20: only collections (or rows) whose lawful basis is consent or contract.")
        var portability = false

        @Option(name: .long, help: ArgumentHelp("The request's reference, shown to the person and in the manifest.", discussion: "Default: generated."))
        var requestId: String?

        @Option(name: .long, help: ArgumentHelp("The person's name as the page greets them.", discussion: "Default: from their records."))
        var name: String?

        @Option(name: .long, help: ArgumentHelp("Also write the cover letter (plain text) to this file.", valueName: "path"))
        var letter: String?

        @Option(name: .long, help: ArgumentHelp(
            "A folder of your own templates (index.en.mustache, letter.fr.mustache, …) to word the page and letter.",
            discussion: "Default: the templates that ship with dsar.", valueName: "folder"))
        var templates: String?

        @Flag(name: .long, help: "Write the package even if some linked files are missing (the manifest and the page say so).")
        var allowIncomplete = false

        @Flag(name: .long, help: "Replace --out if it exists.")
        var force = false

        @Flag(help: "Print one JSON object: path, format, size, SHA-256 and counts.")
        var json = false

        func validate() throws {
            if subject.subject.isEmpty { throw ValidationError("name the person with --subject type:value") }
            if passphraseFile != nil, noEncryption { throw ValidationError("--passphrase-file and --no-encryption contradict each other") }
            if let given = format, let implied = PackageFormat(fileName: out), given != implied {
                throw ValidationError("--out ends in .\(implied) but --format is \(given)")
            }
            if resolvedFormat != .zip, !noEncryption {
                throw ValidationError("\(resolvedFormat) packages cannot be encrypted: use --format zip for an encrypted package, " +
                                      "or add --no-encryption to send it unencrypted")
            }
        }

        var resolvedFormat: PackageFormat { format ?? PackageFormat(fileName: out) ?? .zip }

        func run() async throws {
            let catalog = try options.loadCatalog()
            let dataSubject = try subject.dataSubject(catalog)
            let requestScope = try scope.requestScope(catalog)
            let encryption = try self.encryption()
            let stores = try options.openStores(catalog)
            let result = try await Discovery(catalog: catalog, stores: stores, logger: options.logger).discover(dataSubject, keeping: .linkColumns)
            let progress = ProgressBar.forStandardError(totalBytes: result.files.reduce(0) { $0 + $1.size })
            var packageOptions = AccessPackageOptions(
                format: resolvedFormat, encryption: encryption, language: language, portability: portability,
                requestID: requestId ?? Self.newRequestID(), subjectName: name, overwrite: force,
                allowIncomplete: allowIncomplete)
            packageOptions.scope = requestScope
            if let progress {
                packageOptions.progress = { @Sendable update in progress.update(update) }
            }
            let custom = try templates.map { try AccessTemplates(folder: URL(fileURLWithPath: $0, isDirectory: true)) }
            let writer = AccessPackageWriter(catalog: catalog, stores: stores, templates: custom, logger: options.logger)
            let summary = try await writer.write(result: result, to: URL(fileURLWithPath: out), options: packageOptions)
            progress?.finish()
            if let letter {
                // The letter names the person: readable by its owner only, like the package.
                do {
                    try PrivateFile.write(Data(summary.coverLetter.utf8), to: URL(fileURLWithPath: letter))
                } catch {
                    throw ValidationError("the cover letter could not be written to \(letter)")
                }
            }
            if case .passphrase(let passphrase) = encryption, passphraseFile == nil {
                FileHandle.printError("""
                    Passphrase (shown once, not stored): \(passphrase.value)
                    Send it to the person by another channel than the package (SMS, phone call, post), never with it.
                    """)
            }
            print(json ? try Self.json(summary) : Self.text(summary))
        }

        func encryption() throws -> AccessPackageOptions.Encryption {
            if noEncryption { return .none }
            if let passphraseFile { return .passphrase(try Passphrase(contentsOf: URL(fileURLWithPath: passphraseFile))) }
            return .passphrase(Passphrase.generate())
        }

        static func newRequestID() -> String {
            let day = ISO8601DateFormatter.string(from: Date(), timeZone: TimeZone(identifier: "UTC")!, formatOptions: [.withFullDate])
            let alphabet = Array("ABCDEFGHJKMNPQRSTUVWXYZ23456789")
            return "DSAR-\(day)-" + String((0..<6).map { _ in alphabet.randomElement()! })
        }

        static func text(_ summary: PackageSummary) -> String {
            var lines = ["Wrote \(summary.path) (\(summary.format)\(summary.encrypted ? ", AES-256" : ", not encrypted"), " +
                         "\(summary.size) bytes): \(summary.records) records, \(summary.files) files."]
            for count in summary.collections {
                lines.append("  \(count.collection): \(count.records) record\(count.records == 1 ? "" : "s")" +
                             (count.files > 0 ? ", \(count.files) file\(count.files == 1 ? "" : "s")" : ""))
            }
            if summary.withheld > 0 {
                lines.append("Withheld: \(summary.withheld) record\(summary.withheld == 1 ? "" : "s") of other people or ambiguous (see dsar discover).")
            }
            lines.append("Request \(summary.requestID), SHA-256 \(summary.sha256)")
            return lines.joined(separator: "\n")
        }

        static func json(_ summary: PackageSummary) throws -> String {
            try JSONOutput.text(summary)
        }
    }
}

extension PackageFormat: ExpressibleByArgument {}
extension PackageLanguage: ExpressibleByArgument {}
