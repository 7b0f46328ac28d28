import ArgumentParser
import DSARKit
import Foundation

extension DSAR.Request {
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The requests, sorted by due date.")
        @OptionGroup var options: CatalogOptions
        @Flag(help: "Only pending requests past their due date.") var overdue = false
        @Option(help: ArgumentHelp("Only pending requests due within this many days (7d or 7).", valueName: "days"))
        var dueWithin: String?
        @Flag(help: "Hide completed and rejected requests.") var pending = false
        @Option(help: ArgumentHelp("Only requests naming this identifier (found by its HMAC).", valueName: "type:value"))
        var subject: String?
        @Flag(help: "Print JSON.") var json = false

        func validate() throws {
            if let dueWithin, Self.days(dueWithin) == nil { throw ValidationError("--due-within is a number of days: 7d") }
        }

        static func days(_ text: String) -> Int? {
            Int(text.hasSuffix("d") ? String(text.dropLast()) : text).flatMap { $0 >= 0 ? $0 : nil }
        }

        func run() async throws {
            let catalog = try options.loadCatalog()
            let book = try await RequestBook.forCLI(catalog, logger: options.logger)
            let filter = RequestFilter(overdue: overdue, dueWithinDays: dueWithin.flatMap(Self.days), includeClosed: !pending)
            var requests = try await book.list(filter)
            if let subject {
                let named = Set(try await book.requests(naming: SubjectIdentifier(parsing: subject, catalog: catalog)).map(\.id))
                requests = requests.filter { named.contains($0.id) }
            }
            if json {
                print(try RequestTable.json(requests.map { RequestTable.Row($0, today: book.today) }))
            } else if requests.isEmpty {
                print(overdue ? "No request is overdue." : "No request.")
            } else {
                print(RequestTable.text(requests, today: book.today))
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "One request: its deadline, its timeline from the audit log, and the Art. 19 notices to send.")
        @OptionGroup var options: CatalogOptions
        @Argument(help: "The request id.") var id: String
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let catalog = try options.loadCatalog()
            let book = try await RequestBook.forCLI(catalog, logger: options.logger)
            let request = try await book.request(id)
            let notices = try await book.notices(of: id, catalog: catalog)
            let detail = RequestTable.Detail(request: RequestTable.Row(request, today: book.today),
                                             timeline: try await book.timeline(of: id).map(RequestTable.Event.init), notices: notices,
                                             scope: try await book.scope(of: id))
            print(json ? try RequestTable.json(detail) : detail.text)
        }
    }
}
