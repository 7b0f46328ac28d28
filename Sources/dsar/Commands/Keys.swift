import ArgumentParser
import DSARKit
import Foundation

extension DSAR {
    struct Keys: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Manage the certificate signing key.", subcommands: [Generate.self])

        struct Generate: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Create the Ed25519 key that signs erasure certificates (beside the ledger).")
            @OptionGroup var options: CatalogOptions
            @Flag(help: "Replace an existing key.") var force = false

            func run() async throws {
                let ledger = try Ledger(for: try options.loadCatalog())
                try ledger.generateSigningKey(replace: force)
                print("Signing key written to \(ledger.signingKeyURL.path); public key: \(ledger.publicKeyURL.path)")
            }
        }
    }

    struct Certificate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check and export erasure certificates.", subcommands: [Verify.self, Export.self])

        struct Export: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Print (or write) the certificate the ledger keeps for a request id (batch runs, lost files).")
            @OptionGroup var options: CatalogOptions
            @Option(name: .shortAndLong, help: ArgumentHelp("Write it here instead of printing it.", valueName: "path"))
            var output: String?
            @Argument(help: "The request id.") var requestID: String

            func run() async throws {
                guard let json = try Ledger(for: try options.loadCatalog()).certificate(of: requestID) else {
                    throw Failure.Message("the ledger has no certificate for request \(requestID.prefix(40))")
                }
                if let output { try Data(json.utf8).write(to: URL(fileURLWithPath: output)) } else { print(json) }
            }
        }

        struct Verify: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Check a certificate's Ed25519 signature against the ledger's public key (or --public-key).")
            @OptionGroup var options: CatalogOptions
            @Option(help: ArgumentHelp("The public key file to trust.", valueName: "path")) var publicKey: String?
            @Argument(help: "The certificate JSON file.") var file: String

            func run() async throws {
                let data: Data
                do { data = try Data(contentsOf: URL(fileURLWithPath: file)) } catch {
                    throw Failure.Message("cannot read \(file)")
                }
                let certificate = try ErasureCertificate.read(from: data)
                let trusted = try publicKey.map { try Ledger.readPublicKey(at: URL(fileURLWithPath: $0)) }
                    ?? (try Ledger(for: try options.loadCatalog()).publicKey())
                try certificate.verifySignature(trusting: trusted)
                print("Valid: certificate \(certificate.requestID), issued \(certificate.issuedAt), verification \(certificate.verification).")
            }
        }
    }

    struct Audit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the ledger's audit log.", subcommands: [Verify.self])

        struct Verify: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Check the hash chain of the audit log: detects edited, removed or reordered entries.")
            @OptionGroup var options: CatalogOptions

            func run() async throws {
                let result = try Ledger(for: try options.loadCatalog()).verifyAudit()
                guard result.isIntact else {
                    for problem in result.problems { FileHandle.printError(problem) }
                    throw Failure.Message("the audit log is broken: \(result.problems.count) problem(s)")
                }
                print("Audit log intact: \(result.entries) entries.")
            }
        }
    }
}
