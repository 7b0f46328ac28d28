import DSARKit
import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// DSARKit as routes of a Hummingbird 2 application: the privacy officer's console under
/// `/console`, and, given an ``IntegrationAPI``, the OpenDSR API (`/discovery`,
/// `/opengdpr_requests`) and the IVR hook (`/consent-withdrawals`), all over the same ledger.
/// Mount them next to your own routes with ``addRoutes(to:)`` and run the service itself beside
/// the server (it is a `Service`: the console's runs and the status callbacks' watch), or run
/// ``application(host:port:onServerRunning:)`` as `dsar serve` does.
///
/// ```swift
/// let service = DSARService(DSARService.Configuration(
///     catalog: catalog, book: try await RequestBook(ledger: try Ledger.opening(for: catalog)),
///     officers: try SQLiteOfficerDirectory(url: serviceDB),
///     openStores: { writable in try StoreSet.open(for: catalog, readOnly: !writable, logger: logger) },
///     packagesFolder: packages,
///     api: try IntegrationAPI.beside(serviceDatabase: serviceDB, publicURL: "https://dsar.example.com"),
///     logger: logger))
/// let router = Router(context: DSARRequestContext.self)
/// service.addRoutes(to: router)
/// let app = Application(router: router, services: [service])
/// ```
public struct DSARService: Service {
    public struct Configuration: Sendable {
        public var catalog: Catalog
        /// The requests, over any ``RequestLedger`` (SQLite or a shared PostgreSQL ledger).
        public var book: RequestBook
        public var officers: any OfficerDirectory
        /// Opens the catalog's stores: read-only for previews and packages, writable (`true`) for erasures.
        public var openStores: @Sendable (_ writable: Bool) throws -> StoreSet
        /// Where access packages wait for their single download (owner-only; each is deleted once fetched).
        public var packagesFolder: URL
        /// The OpenDSR API and the IVR hook; `nil` serves the console alone.
        public var api: IntegrationAPI?
        /// Whether cookies carry `Secure` (keep it on; browsers accept it on `localhost` too).
        public var secureCookies: Bool
        public var sessionLifetime: TimeInterval
        public var downloadLifetime: TimeInterval
        /// Logs request ids and officer names, never a person's identifiers.
        public var logger: Logger

        public init(catalog: Catalog, book: RequestBook, officers: any OfficerDirectory,
                    openStores: @escaping @Sendable (_ writable: Bool) throws -> StoreSet, packagesFolder: URL,
                    api: IntegrationAPI? = nil,
                    secureCookies: Bool = true, sessionLifetime: TimeInterval = 8 * 3600, downloadLifetime: TimeInterval = 15 * 60,
                    logger: Logger) {
            self.catalog = catalog
            self.book = book
            self.officers = officers
            self.openStores = openStores
            self.packagesFolder = packagesFolder
            self.api = api
            self.secureCookies = secureCookies
            self.sessionLifetime = sessionLifetime
            self.downloadLifetime = downloadLifetime
            self.logger = logger
        }
    }

    let console: Console
    /// The console's packaging and erasures, performed off the request path while pages show
    /// their progress; recorded in the service file when there is an ``IntegrationAPI``.
    public let runs: RunQueue
    let openDSR: OpenDSRRoutes?
    let consentWithdrawals: ConsentWithdrawalRoutes?
    let callbacks: StatusCallbacks?
    let callbackInterval: Duration

    public init(_ configuration: Configuration) {
        let logger = configuration.logger
        runs = RunQueue(database: configuration.api?.database, logger: logger)
        console = Console(configuration: configuration, runs: runs)
        callbackInterval = configuration.api?.callbackInterval ?? .seconds(30)
        guard let api = configuration.api else {
            openDSR = nil
            consentWithdrawals = nil
            callbacks = nil
            return
        }
        let callbacks = StatusCallbacks(database: api.database, book: configuration.book, key: api.key, configuration: api.openDSR,
                                        retryDelays: api.callbackRetryDelays, logger: logger)
        self.callbacks = callbacks
        openDSR = OpenDSRRoutes(book: configuration.book, catalog: configuration.catalog, database: api.database, tokens: api.tokens,
                                key: api.key, callbacks: callbacks, configuration: api.openDSR, logger: logger)
        consentWithdrawals = ConsentWithdrawalRoutes(book: configuration.book, catalog: configuration.catalog,
                                                     database: api.database, tokens: api.tokens, logger: logger)
    }

    /// Adds the console's routes (`/console/…`) to `router` and, with an ``IntegrationAPI``, the
    /// OpenDSR routes and the IVR hook at the router's root.
    public func addRoutes<Context: ConsoleRequestContext>(to router: Router<Context>) {
        console.addRoutes(to: router)
        openDSR?.addRoutes(to: router.group())
        consentWithdrawals?.addRoutes(to: router.group())
    }

    /// The service's background work, until the application shuts down: the console's runs
    /// (``RunQueue``) and, with an ``IntegrationAPI``, the watch that tells controllers of status
    /// changes made outside the API (``StatusCallbacks/run(every:)``). An application that
    /// mounts the routes lists the service among its `services`: without it, runs wait.
    public func run() async throws {
        let runs = self.runs
        let callbacks = self.callbacks
        let interval = callbackInterval
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { try await runs.run() }
            if let callbacks {
                group.addTask { await cancelWhenGracefulShutdown { await callbacks.run(every: interval) } }
            }
        }
    }

    /// A ready application serving the service's routes on `host:port` (port 0: any free port),
    /// with the service running beside it. `onServerRunning` is told the port once it listens.
    public func application(host: String = "127.0.0.1", port: Int = 8080,
                            onServerRunning: @escaping @Sendable (_ port: Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        let router = Router(context: DSARRequestContext.self)
        router.get("/") { _, _ in Response(status: .seeOther, headers: [.location: "/console/requests"]) }
        addRoutes(to: router)
        return Application(router: router, configuration: .init(address: .hostname(host, port: port), serverName: "dsar"),
                           services: [self], onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? port) },
                           logger: console.configuration.logger)
    }
}
