import DSARKit
import DSARKitService
import Foundation
import GRDB
import Hummingbird
import Logging

/// A contact centre's own Hummingbird service that answers data-subject requests itself: its own
/// routes (`/health`, `/app/customers/count`) next to DSARKit's console, OpenDSR API and IVR hook,
/// over its own database, handed to DSARKit in code.
///
///     embedded-service CATALOG.yaml [PORT]      # PORT 0 (default): any free port, printed
@main
struct EmbeddedService {
    static func main() async throws {
        let arguments = CommandLine.arguments.dropFirst()
        guard let catalogPath = arguments.first else {
            FileHandle.standardError.write(Data("usage: embedded-service CATALOG.yaml [PORT]\n".utf8))
            exit(2)
        }
        let port = arguments.dropFirst().first.flatMap(Int.init) ?? 0
        let logger = Logger(label: "embedded-service")

        // The service's own data: the CRM database it already has open for its own routes.
        let catalog = try Catalog.load(from: URL(fileURLWithPath: catalogPath))
        let data = catalog.baseDirectory.appendingPathComponent("data")
        let crmPath = data.appendingPathComponent("crm.sqlite").path
        let crm = try DatabaseQueue(path: crmPath)

        // DSARKit over the same stores, passed in code: the service's SQLite file and its recordings folder.
        let state = catalog.baseDirectory.appendingPathComponent(".dsar")
        let book = try await RequestBook(ledger: try Ledger.opening(for: catalog))
        let serviceFile = state.appendingPathComponent("dsar-service.sqlite")
        let dsar = DSARService(DSARService.Configuration(
            catalog: catalog, book: book,
            officers: try SQLiteOfficerDirectory(url: serviceFile),
            openStores: { writable in
                StoreSet([
                    try SQLiteStore(name: "crm", path: crmPath, readOnly: !writable, logger: logger),
                    try FolderStore(name: "recordings", root: data.appendingPathComponent("recordings"), logger: logger),
                ])
            },
            packagesFolder: state.appendingPathComponent("console-packages"),
            api: try IntegrationAPI.beside(serviceDatabase: serviceFile, publicURL: "http://127.0.0.1:\(port)"),
            logger: logger))

        let router = Router(context: DSARRequestContext.self)
        router.get("/health") { _, _ in "ok" }
        router.get("/app/customers/count") { _, _ in
            String(try await crm.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM customers") ?? 0 })
        }
        dsar.addRoutes(to: router)
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: "embedded-service"),
            services: [dsar],
            onServerRunning: { channel in
                let bound = channel.localAddress?.port ?? port
                FileHandle.standardOutput.write(Data("embedded-service listening on http://127.0.0.1:\(bound)\n".utf8))
            },
            logger: logger)
        try await app.runService()
    }
}
