import ArgumentParser
import DSARKit
import Foundation

extension DSAR {
    struct Replay: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "After restoring a backup: erase again everyone erased since it was taken.",
            discussion: """
            For every request on the suppression list erased on or after --since (the day the restored \
            backup was taken), discovery runs again with the request's identifiers (kept encrypted in \
            the ledger) and whatever the restore brought back is erased by a new certified run. Holds \
            are honoured. Restore the data, not the ledger: the ledger must be the newest one.
            """)
        @OptionGroup var options: CatalogOptions
        @Option(help: ArgumentHelp("When the restored backup was taken: YYYY-MM-DD or an ISO 8601 time.", valueName: "date"))
        var since: String
        @Flag(help: "Only report what came back; change nothing.") var dryRun = false
        @Flag(help: "Print the report as JSON.") var json = false

        func validate() throws {
            if Self.date(since) == nil { throw ValidationError("--since is a day (YYYY-MM-DD) or an ISO 8601 time") }
        }

        static func date(_ text: String) -> Date? {
            CalendarDay(text)?.date ?? (try? Date(text, strategy: .iso8601))
        }

        func run() async throws {
            let catalog = try options.loadCatalog()
            let book = try await RequestBook.forCLI(catalog, logger: options.logger)
            let stores = try options.openStores(catalog, readOnly: dryRun)
            let report = try await BackupReplay(catalog: catalog, stores: stores, book: book, logger: options.logger)
                .replay(since: Self.date(since)!, dryRun: dryRun)
            if json {
                print(try RequestTable.json(report))
            } else {
                for item in report.items {
                    var line = "\(item.requestID) (erased \(item.erasedAt)): \(item.status)"
                    if item.found > 0 {
                        line += "; came back: \(item.deleted) rows to delete, \(item.masked) to mask, \(item.files) files"
                    }
                    if item.held > 0 { line += "; \(item.held) held rows kept" }
                    if let error = item.error { line += "; \(error)" }
                    print(line)
                }
                print("Replay since \(report.since): \(report.summary).")
            }
            if !report.isFinished { throw Failure.Message("some erasures could not be replayed in full; see above") }
        }
    }
}
