import ArgumentParser
import DSARKit
import DSARKitPostgres
import Foundation
import Logging

extension DSAR {
    struct Request: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The ledger of requests: open, verify, extend, run, reject, list and show them.",
            discussion: """
            Each request is due one calendar month after receipt (GDPR Art. 12(3); 31 January → 28 or 29 \
            February), extendable once or twice by a month within the first month, never beyond three. \
            Every change is appended to the ledger's audit log; the person's identifiers are stored \
            encrypted (.dsar/requests.key) and found by their HMAC.
            """,
            subcommands: [Open.self, Verify.self, Extend.self, Run.self, Reject.self, List.self, Show.self, Purge.self])
    }
}

extension DSAR.Request {
    struct Open: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record a new request; prints its id and due date.")
        @OptionGroup var options: CatalogOptions
        @OptionGroup var subject: SubjectOptions
        @Option(help: "access, portability, erasure or consent-withdrawal.") var kind: RequestKind
        @Option(help: ArgumentHelp("The day it was received (YYYY-MM-DD).", discussion: "Default: today.")) var received: String?
        @Option(help: "email, phone, ivr, letter or portal.") var channel: RequestChannel?
        @Option(help: "A note for the officer (stored encrypted).") var note: String?
        @OptionGroup(title: "Scope (what the request is about; default: everything)") var scope: ScopeOptions
        @Flag(help: "Print the request as JSON (id, kind, received, due, daysLeft, …, alsoPending).") var json = false

        func validate() throws {
            if subject.subject.isEmpty { throw ValidationError("name the person with --subject type:value") }
            if let received, CalendarDay(received) == nil { throw ValidationError("--received must be a day, YYYY-MM-DD") }
        }

        func run() async throws {
            let catalog = try options.loadCatalog()
            let book = try await RequestBook.forCLI(catalog, logger: options.logger)
            let person = try subject.dataSubject(catalog)
            let requestScope = try scope.requestScope(catalog)
            let request = try await book.open(kind, subject: person, received: received.flatMap(CalendarDay.init),
                                        channel: channel, note: note, scope: requestScope)
            let others = Set(try await Self.requests(naming: person, book: book)
                .filter { $0.id != request.id && $0.status.isPending }.map(\.id)).sorted()
            if json {
                print(try RequestTable.json(RequestTable.Opened(request: RequestTable.Row(request, today: book.today), alsoPending: others)))
                return
            }
            print("Request \(request.id) opened: \(request.kind.rawValue), received \(request.deadline.received), " +
                  "due \(request.due) (\(RequestTable.daysLeft(request, today: book.today))).")
            if let requestScope { print("Scope: \(requestScope.flags) (applied when it runs).") }
            if !others.isEmpty { print("Also pending for this person: " + others.joined(separator: ", ") + ".") }
        }

        static func requests(naming person: DataSubject, book: RequestBook) async throws -> [DataRequest] {
            var found: [DataRequest] = []
            for identifier in person.identifiers { found += try await book.requests(naming: identifier) }
            return found
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record how the person's identity was verified (Art. 12(6)).")
        @OptionGroup var options: CatalogOptions
        @Argument(help: "The request id.") var id: String
        @Option(help: ArgumentHelp("How: \"called back on the number on file\" (never a document number).")) var method: String
        @Flag(help: "Print the request as JSON.") var json = false

        func run() async throws {
            let book = try await RequestBook.forCLI(try options.loadCatalog(), logger: options.logger)
            try await book.verify(id, method: method)
            if json { print(try RequestTable.json(RequestTable.Row(try await book.request(id), today: book.today))); return }
            print("Request \(id): identity verified (\(method)).")
        }
    }

    struct Extend: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Extend the deadline by 1 or 2 months (within the first month; 3 months in all at most).",
            discussion: "Tell the person within the first month, with the reason (Art. 12(3)).")
        @OptionGroup var options: CatalogOptions
        @Argument(help: "The request id.") var id: String
        @Option(help: "1 or 2.") var months: Int
        @Option(help: "Why (complexity, number of requests); kept and shown.") var reason: String
        @Flag(help: "Print the request as JSON.") var json = false

        func validate() throws {
            if months != 1, months != 2 { throw ValidationError("--months is 1 or 2") }
        }

        func run() async throws {
            let book = try await RequestBook.forCLI(try options.loadCatalog(), logger: options.logger)
            let deadline = try await book.extend(id, months: months, reason: reason)
            if json { print(try RequestTable.json(RequestTable.Row(try await book.request(id), today: book.today))); return }
            print("Request \(id): due \(deadline.due) (extended by \(deadline.extensionMonths) month" +
                  "\(deadline.extensionMonths == 1 ? "" : "s")). Tell the person why before \(deadline.initialDue).")
        }
    }

    struct Reject: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Refuse the request with reasons (Art. 12(4)).",
            discussion: "The answer to the person must give the reasons and say they may complain to the supervisory authority.")
        @OptionGroup var options: CatalogOptions
        @Argument(help: "The request id.") var id: String
        @Option(help: "Why it is refused (manifestly unfounded, excessive…).") var reason: String
        @Flag(help: "Print the request as JSON.") var json = false

        func run() async throws {
            let catalog = try options.loadCatalog()
            let book = try await RequestBook.forCLI(catalog, logger: options.logger)
            try await book.reject(id, reason: reason)
            if json { print(try RequestTable.json(RequestTable.Row(try await book.request(id), today: book.today))); return }
            print("Request \(id) rejected. Tell the person the reasons and that they may complain to: " +
                  (catalog.controller.authority ?? "the supervisory authority") + ".")
        }
    }
}

extension DSAR.Request {
    struct Purge: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete the encrypted identifiers of requests closed before a day (end of the accountability period).",
            discussion: "The requests, their timelines, certificates and suppression HMACs stay; their erasures can no longer be replayed.")
        @OptionGroup var options: CatalogOptions
        @Option(help: ArgumentHelp("Requests closed before this day (YYYY-MM-DD).", valueName: "day")) var closedBefore: String
        @Flag(help: "Print the ids purged as JSON ({\"purged\": […]}).") var json = false

        func validate() throws {
            if CalendarDay(closedBefore) == nil { throw ValidationError("--closed-before must be a day, YYYY-MM-DD") }
        }

        func run() async throws {
            let ids = try await RequestBook.forCLI(try options.loadCatalog(), logger: options.logger).purgeIdentifiers(closedBefore: CalendarDay(closedBefore)!)
            if json { print(try RequestTable.json(["purged": ids])); return }
            print(ids.isEmpty ? "No request to purge." : "Identifiers purged from \(ids.count) request(s): " + ids.joined(separator: ", "))
        }
    }
}

extension RequestBook {
    /// The book of the catalog's ledger, on the command's clock: the SQLite file, or the shared
    /// PostgreSQL ledger (`ledger: postgres://…`), whose keys must be this machine's copies.
    static func forCLI(_ catalog: Catalog, logger: Logger) async throws -> RequestBook {
        let ledger: any RequestLedger = catalog.hasPostgresLedger
            ? try PostgresLedger(catalog: catalog, environment: ProcessInfo.processInfo.environment, logger: logger)
            : try Ledger.opening(for: catalog)
        return try await RequestBook(ledger: ledger, now: CommandContext.current.now)
    }
}

extension RequestKind: ExpressibleByArgument {}
extension RequestChannel: ExpressibleByArgument {}
