import ArgumentParser
import DSARKit
import Foundation

extension DSAR {
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
                guard let json = try await options.openLedger(try options.loadCatalog()).certificate(of: RunID(requestID)) else {
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
                    ?? (try LedgerKeys(for: try options.loadCatalog()).publicKey())
                try certificate.verifySignature(trusting: trusted)
                print("Valid: certificate \(certificate.requestID), issued \(certificate.issuedAt), verification \(certificate.verification).")
            }
        }
    }
}
