import ArgumentParser
import DSARKit
import Foundation

extension DSAR {
    struct Discover: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Find every record and file held on a person, and say why each was found.",
            discussion: """
            Starts from the identifiers you give, follows the catalog across all stores, and lists \
            the person's records and recordings. Records of other people reached on the way (a \
            household phone) are listed as conflicts by collection and key only, never included; \
            records found only through a phone another person also uses are listed for review.
            """
        )

        @OptionGroup var options: CatalogOptions
        @OptionGroup var subject: SubjectOptions

        @Flag(help: "Print one JSON object (records, files, conflicts, ambiguous, problems).")
        var json = false

        func validate() throws {
            if subject.subject.isEmpty { throw ValidationError("name the person with --subject type:value") }
        }

        func run() async throws {
            let catalog = try options.loadCatalog()
            let dataSubject = try subject.dataSubject(catalog)
            let stores = try options.openStores(catalog)
            let result = try await Discovery(catalog: catalog, stores: stores, logger: options.logger).discover(dataSubject)
            if json {
                print(try JSONOutput.text(result))
            } else {
                print(DiscoverySummary(result: result, catalog: catalog).text)
            }
        }
    }
}
