import ArgumentParser
import DSARKit
import Foundation

extension DSAR {
    struct Audit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the ledger's audit log.", subcommands: [Verify.self])

        struct Verify: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Check the hash chain of the audit log: detects edited, removed or reordered entries.")
            @OptionGroup var options: CatalogOptions

            func run() async throws {
                let result = try await options.openLedger(try options.loadCatalog()).checkAudit()
                guard result.isIntact else {
                    for problem in result.problems { FileHandle.printError(problem) }
                    throw Failure.Message("the audit log is broken: \(result.problems.count) problem(s)")
                }
                print("Audit log intact: \(result.entries) entries.")
            }
        }
    }
}
