import ArgumentParser
import DSARKit
import Foundation

extension DSAR {
    struct Audit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the ledger's audit log.", subcommands: [Verify.self])

        struct Verify: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Check the audit log: detects edited, removed, reordered or re-chained entries, and a cut-off end.",
                discussion: """
                Each entry is sealed (HMAC-SHA256) with a key derived from the ledger's masking.key, and so is the \
                anchor of the newest entry (audit.head beside a SQLite ledger, the meta table of a PostgreSQL one): \
                someone who can write the ledger but holds no key file cannot recompute the chain or shorten it \
                unnoticed. Entries an older DSARKit chained with plain SHA-256 are reported until the next entry seals them.
                """)
            @OptionGroup var options: CatalogOptions

            func run() async throws {
                let result = try await options.openLedger(try options.loadCatalog()).checkAudit()
                guard result.isIntact else {
                    for problem in result.problems { FileHandle.printError(problem) }
                    throw Failure.Message("the audit log is broken: \(result.problems.count) problem(s)")
                }
                let older = result.unkeyedEntries > 0
                    ? " Entries 1–\(result.unkeyedEntries) were chained by an older DSARKit before the log was keyed; the first sealed entry vouches for them."
                    : ""
                print("Audit log intact: \(result.entries) entries." + older)
            }
        }
    }
}
