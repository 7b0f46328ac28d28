import DSARKit
import Foundation
import Hummingbird
import Logging

/// DSARKit as routes of a Hummingbird 2 application: the privacy officer's console under
/// `/console`. Mount them next to your own routes with ``addRoutes(to:)``, or run
/// ``application(host:port:)`` as `dsar serve` does.
///
/// ```swift
/// let service = DSARService(DSARService.Configuration(
///     catalog: catalog, book: try await RequestBook(ledger: try Ledger.opening(for: catalog)),
///     officers: try SQLiteOfficerDirectory(url: serviceDB),
///     openStores: { writable in try StoreSet.open(for: catalog, readOnly: !writable, logger: logger) },
///     packagesFolder: packages, logger: logger))
/// let router = Router(context: DSARRequestContext.self)
/// service.addRoutes(to: router)
/// ```
public struct DSARService: Sendable {
    public struct Configuration: Sendable {
        public var catalog: Catalog
        /// The requests, over any ``RequestLedger`` (SQLite or a shared PostgreSQL ledger).
        public var book: RequestBook
        public var officers: any OfficerDirectory
        /// Opens the catalog's stores: read-only for previews and packages, writable (`true`) for erasures.
        public var openStores: @Sendable (_ writable: Bool) throws -> StoreSet
        /// Where access packages wait for their single download (owner-only; each is deleted once fetched).
        public var packagesFolder: URL
        /// Whether cookies carry `Secure` (keep it on; browsers accept it on `localhost` too).
        public var secureCookies: Bool
        public var sessionLifetime: TimeInterval
        public var downloadLifetime: TimeInterval
        /// Logs request ids and officer names, never a person's identifiers.
        public var logger: Logger

        public init(catalog: Catalog, book: RequestBook, officers: any OfficerDirectory,
                    openStores: @escaping @Sendable (_ writable: Bool) throws -> StoreSet, packagesFolder: URL,
                    secureCookies: Bool = true, sessionLifetime: TimeInterval = 8 * 3600, downloadLifetime: TimeInterval = 15 * 60,
                    logger: Logger) {
            self.catalog = catalog
            self.book = book
            self.officers = officers
            self.openStores = openStores
            self.packagesFolder = packagesFolder
            self.secureCookies = secureCookies
            self.sessionLifetime = sessionLifetime
            self.downloadLifetime = downloadLifetime
            self.logger = logger
        }
    }

    let console: Console

    public init(_ configuration: Configuration) {
        console = Console(configuration: configuration)
    }

    /// Adds the console's routes (`/console/…`) to `router`.
    public func addRoutes<Context: ConsoleRequestContext>(to router: Router<Context>) {
        console.addRoutes(to: router)
    }

    /// A ready application serving the console on `host:port`.
    public func application(host: String = "127.0.0.1", port: Int = 8080) -> some ApplicationProtocol {
        let router = Router(context: DSARRequestContext.self)
        router.get("/") { _, _ in Response(status: .seeOther, headers: [.location: "/console/requests"]) }
        addRoutes(to: router)
        return Application(router: router, configuration: .init(address: .hostname(host, port: port), serverName: "dsar"),
                           logger: console.configuration.logger)
    }
}
