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
}
