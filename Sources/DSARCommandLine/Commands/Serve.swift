import ArgumentParser
import DSARKit
import DSARKitService
import Foundation
import Hummingbird

extension DSAR {
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the privacy officer's console (http://127.0.0.1:8080/console), the OpenDSR API and the IVR hook.",
            discussion: """
            Officers sign in with accounts made by `dsar serve users add NAME`. Requests, previews, \
            packages and erasures go through the same ledger and the same safety as the commands. \
            Portals and the IVR use tokens made by `dsar serve tokens add NAME --scope intake|status`: \
            POST /opengdpr_requests, GET and DELETE /opengdpr_requests/{id}, POST /consent-withdrawals; \
            GET /discovery publishes the processor certificate (made beside the service file on first start). \
            Listen on loopback and put a TLS proxy in front for anything else.
            """,
            subcommands: [Users.self, ServeTokens.self])
        @OptionGroup var options: CatalogOptions
        @OptionGroup var service: ServiceOptions
        @Option(help: ArgumentHelp("Where to listen, host:port (port 0: any free port, printed).", valueName: "host:port"))
        var listen = "127.0.0.1:8080"
        @Option(help: ArgumentHelp("The address the API is reached at from outside, for /discovery.",
                                   discussion: "Default: http://HOST:PORT of --listen.", valueName: "url"))
        var publicUrl: String?

        func validate() throws {
            if Self.address(listen) == nil { throw ValidationError("--listen is host:port, for example 127.0.0.1:8080") }
        }

        /// A TCP port free on `host` right now (the system's choice for port 0).
        static func freePort(_ host: String) throws -> Int {
            var hints = addrinfo(ai_flags: AI_PASSIVE, ai_family: AF_UNSPEC, ai_socktype: Int32(SOCK_STREAM.rawValue), ai_protocol: 0,
                                 ai_addrlen: 0, ai_addr: nil, ai_canonname: nil, ai_next: nil)
            var found: UnsafeMutablePointer<addrinfo>?
            guard getaddrinfo(host, "0", &hints, &found) == 0, let info = found else { throw ValidationError("--listen: unknown host \(host)") }
            defer { freeaddrinfo(found) }
            let descriptor = socket(info.pointee.ai_family, info.pointee.ai_socktype, info.pointee.ai_protocol)
            guard descriptor >= 0 else { throw ValidationError("--listen: no socket for \(host)") }
            defer { close(descriptor) }
            var storage = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            guard bind(descriptor, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0,
                  withUnsafeMutablePointer(to: &storage, { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) } }) == 0
            else { throw ValidationError("--listen: no free port on \(host)") }
            return Int(UInt16(bigEndian: withUnsafeBytes(of: storage) { $0.load(fromByteOffset: 2, as: UInt16.self) }))
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
            let (host, asked) = Self.address(listen)!
            // Port 0: a free port found now, so /discovery can publish the address it is served at.
            let port = asked == 0 ? try Self.freePort(host) : asked
            let api = try IntegrationAPI.beside(serviceDatabase: database, publicURL: publicUrl ?? "http://\(host):\(port)")
            let dsar = DSARService(DSARService.Configuration(
                catalog: catalog, book: book, officers: officers,
                openStores: { writable in
                    try StoreSet.open(for: catalog, openers: CatalogOptions.openers, readOnly: !writable, logger: logger)
                },
                packagesFolder: database.deletingLastPathComponent().appendingPathComponent("console-packages"),
                api: api, logger: logger))
            try await dsar.application(host: host, port: port) { bound in
                // Written at once (not buffered): a supervisor or a test waits for this line.
                FileHandle.standardOutput.write(Data(("The console: http://\(host):\(bound)/console; the OpenDSR API: " +
                                                      "http://\(host):\(bound)/discovery (service database \(database.path))\n").utf8))
            }.runService()
        }
    }
}

/// Where the service keeps its officers and sessions.
struct ServiceOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The service's SQLite file (officers, sessions, integration tokens).",
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
