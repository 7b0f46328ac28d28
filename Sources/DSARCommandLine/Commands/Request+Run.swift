import ArgumentParser
import DSARKit
import Foundation

extension DSAR.Request {
    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Answer the request: write the access package, or run the erasure; link the proof and close it.",
            discussion: """
            Access and portability requests need --out (and, as `dsar access`, a passphrase or \
            --no-encryption). Erasure and consent-withdrawal requests run as `dsar erase --execute` \
            under the request's id and put the erased identifiers' HMACs on the suppression list. \
            A request whose identity is not verified is refused unless --force with --reason (audited).
            """)
        @OptionGroup var options: CatalogOptions
        @Argument(help: "The request id.") var id: String
        @Flag(help: "Run although identity is not verified (needs --reason).") var force = false
        @Option(help: "Why the run is forced; kept in the audit log.") var reason: String?
        @Option(help: ArgumentHelp("Where to write the package (access, portability).", valueName: "path")) var out: String?
        @Option(help: ArgumentHelp("Encrypt with the passphrase on the first line of this file.", valueName: "file"))
        var passphraseFile: String?
        @Flag(help: "Write the package unencrypted (zip, tar.gz or tar.zst by --out's extension).") var noEncryption = false
        @Option(help: "Language of the package: en, fr or ar (Arabic, right to left).") var language: PackageLanguage = .en
        @Option(help: ArgumentHelp("Write the erasure certificate here.", valueName: "path")) var certificate: String?
        @Flag(help: "Print the closed request as JSON, with the package summary, or the certificate and Art. 19 notices.")
        var json = false

        func validate() throws {
            if force, reason == nil { throw ValidationError("--force needs --reason: why identity could not be verified") }
            if reason != nil, !force { throw ValidationError("--reason goes with --force") }
            if passphraseFile != nil, noEncryption { throw ValidationError("--passphrase-file and --no-encryption contradict each other") }
        }

        func run() async throws {
            let catalog = try options.loadCatalog()
            let book = try await RequestBook.forCLI(catalog, logger: options.logger)
            let request = try await book.request(id)
            let override: RequestRun.Override = force ? .force(reason: reason ?? "") : .none
            if request.kind.erases {
                try await erase(catalog, book: book, override: override)
            } else {
                try await access(catalog, book: book, override: override)
            }
        }

        private func access(_ catalog: Catalog, book: RequestBook, override: RequestRun.Override) async throws {
            guard let out else { throw ValidationError("an access request needs --out PATH for the package") }
            let format = PackageFormat(fileName: out) ?? .zip
            if format != .zip, !noEncryption { throw ValidationError("\(format) packages cannot be encrypted: add --no-encryption") }
            let encryption: AccessPackageOptions.Encryption = noEncryption ? .none
                : .passphrase(try passphraseFile.map { try Passphrase(contentsOf: URL(fileURLWithPath: $0)) } ?? Passphrase.generate())
            let stores = try options.openStores(catalog)
            let run = RequestRun(catalog: catalog, stores: stores, book: book, logger: options.logger)
            let summary = try await run.access(id, to: URL(fileURLWithPath: out), options: AccessPackageOptions(
                format: format, encryption: encryption, language: language, requestID: id, generatedAt: book.now()), override: override)
            if case .passphrase(let passphrase) = encryption, passphraseFile == nil {
                FileHandle.printError("Passphrase (shown once, not stored): \(passphrase.value)\n" +
                                      "Send it to the person by another channel than the package, never with it.")
            }
            if json {
                print(try RequestTable.json(RequestTable.RunReport(request: RequestTable.Row(try await book.request(id), today: book.today),
                                                                   package: summary)))
                return
            }
            print("Request \(id) closed: wrote \(summary.path) (\(summary.records) records, \(summary.files) files), SHA-256 \(summary.sha256).")
        }

        private func erase(_ catalog: Catalog, book: RequestBook, override: RequestRun.Override) async throws {
            let stores = try options.openStores(catalog, readOnly: false)
            let outcome = try await RequestRun(catalog: catalog, stores: stores, book: book, logger: options.logger)
                .erase(id, override: override)
            if !json { print(PlanSummary(plan: outcome.plan).outcomeText(outcome)) }
            if let certificate {
                try outcome.certificate.json().write(to: URL(fileURLWithPath: certificate))
                if !json { print("Certificate written to \(certificate).") }
            }
            let notices = ErasureNotice.notices(for: outcome.certificate, catalog: catalog)
            if json {
                print(try RequestTable.json(RequestTable.RunReport(request: RequestTable.Row(try await book.request(id), today: book.today),
                                                                   certificate: outcome.certificate, notices: notices)))
            } else if !notices.isEmpty {
                print("Art. 19: notify " + notices.map(\.recipient).joined(separator: "; ") + " (see `dsar request show \(id)`).")
            }
            guard outcome.isComplete else {
                throw Failure.Message("the erasure is incomplete: verification still finds \(outcome.residue.count) items; " +
                                      "request \(id) stays open")
            }
            if !json { print("Request \(id) closed.") }
        }
    }
}
