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
                let keys = LedgerKeys(for: try options.loadCatalog())
                try keys.generateSigningKey(replace: force)
                _ = try keys.maskingKey()  // every key exists once this command has run: the folder is
                _ = try keys.sealingKey()  // ready to copy to every machine sharing a PostgreSQL ledger
                print("Signing key written to \(keys.signingKeyURL.path); public key: \(keys.publicKeyURL.path)")
            }
        }
    }
}
