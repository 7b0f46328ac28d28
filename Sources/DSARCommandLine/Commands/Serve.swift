import ArgumentParser
import DSARKit
import DSARKitService
import Foundation
import Hummingbird

extension DSAR {
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the privacy officer's console in a browser (http://127.0.0.1:8080/console).",
            discussion: """
            Officers sign in with accounts made by `dsar serve users add NAME`. Requests, previews, \
            packages and erasures go through the same ledger and the same safety as the commands. \
            Listen on loopback and put a TLS proxy in front for anything else.
            """,
            subcommands: [Users.self, ServeTokens.self])
        @OptionGroup var options: CatalogOptions
        @OptionGroup var service: ServiceOptions
        @Option(help: ArgumentHelp("Where to listen, host:port.", valueName: "host:port")) var listen = "127.0.0.1:8080"

        func validate() throws {
            if Self.address(listen) == nil { throw ValidationError("--listen is host:port, for example 127.0.0.1:8080") }
        }

        static func address(_ text: String) -> (host: String, port: Int)? {
            guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else { return nil }
            let host = String(text[..<colon])
            return host.isEmpty ? nil : (host, port)
        }

        func run() async throws {
            let catalog = try options.loadCatalog()
            let logger = options.logger
            let book = try await RequestBook.forCLI(catalog, logger: logger)
            let database = service.databaseURL(catalog)
            let officers = try SQLiteOfficerDirectory(url: database)
            let dsar = DSARService(DSARService.Configuration(
                catalog: catalog, book: book, officers: officers,
                openStores: { writable in
                    try StoreSet.open(for: catalog, openers: CatalogOptions.openers, readOnly: !writable, logger: logger)
                },
                packagesFolder: database.deletingLastPathComponent().appendingPathComponent("console-packages"),
                logger: logger))
            let (host, port) = Self.address(listen)!
            print("The console: http://\(host):\(port)/console (service database \(database.path))")
            try await dsar.application(host: host, port: port).runService()
        }
    }
}

/// Where the service keeps its officers and sessions.
struct ServiceOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The service's SQLite file (officers, sessions).",
                               discussion: "Default: dsar-service.sqlite beside the ledger.", valueName: "path"))
    var serviceDb: String?

    func databaseURL(_ catalog: Catalog) -> URL {
        if let serviceDb { return URL(fileURLWithPath: serviceDb) }
        let folder = catalog.hasPostgresLedger ? catalog.baseDirectory.appendingPathComponent(".dsar")
            : Ledger.defaultURL(for: catalog).deletingLastPathComponent()
        return folder.appendingPathComponent("dsar-service.sqlite")
    }
}

extension DSAR.Serve {
    struct Users: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "users", abstract: "The officers who may sign in.",
                                                        subcommands: [Add.self])
    }
}

extension DSAR.Serve.Users {
    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add an officer; prints a first password once (stored only as a bcrypt hash).")
        @OptionGroup var options: CatalogOptions
        @OptionGroup var service: ServiceOptions
        @Argument(help: "The officer's name: letters, digits, dots, dashes, underscores.") var name: String

        func validate() throws {
            if !Officer.isValidName(name) { throw ValidationError("the name is 1 to 64 letters, digits, dots, dashes or underscores") }
        }

        func run() async throws {
            let catalog = try options.loadCatalog()
            let directory = try SQLiteOfficerDirectory(url: service.databaseURL(catalog))
            let password = try await OfficerAccounts.add(name, to: directory)
            print("Officer \(name) added. First password (shown once, not stored): \(password)")
        }
    }
}
