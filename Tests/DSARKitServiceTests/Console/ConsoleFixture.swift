import DSARKit
import DSARKitService
import DSARKitTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization

/// The console over a fresh ledger and service database, on a clock the test moves, with a
/// small call centre in memory: Amel (customer 1) and Youssef (customer 2) share the household
/// line, so a call from it is someone else's record.
final class ConsoleFixture: Sendable {
    static let amelEmail = "amel.benali@example.tn"
    static let amelMobile = "+216 98 123 456"
    static let street = "12 rue de Marseille, Tunis"
    /// The values no preview, log or test output may show.
    static let personalValues = [amelEmail, "Amel.BenAli@Example.TN", amelMobile, "+21698123456", "youssef@example.fr", street,
                                 "0145678910", "01 45 67 89 10"]

    /// How many of ``personalValues`` `text` holds (a count, so test output never shows one).
    static func leaks(in text: String) -> Int {
        personalValues.filter { text.contains($0) || text.contains($0.replacingOccurrences(of: "+", with: "&#43;")) }.count
    }

    let folder: URL
    let ledger: Ledger
    let book: RequestBook
    let officers: SQLiteOfficerDirectory
    let stores: StoreSet
    let clock: ConsoleClock
    let service: DSARService

    init(now: String = "2026-03-10T09:00:00Z", _ name: String = #function) async throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("dsar-console-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        ledger = try Ledger(url: folder.appendingPathComponent(".dsar/ledger.sqlite"))
        try ledger.generateSigningKey()
        let clock = ConsoleClock(try Date(now, strategy: .iso8601))
        self.clock = clock
        book = try await RequestBook(ledger: ledger, now: { clock.now })
        officers = try SQLiteOfficerDirectory(url: folder.appendingPathComponent(".dsar/dsar-service.sqlite"))
        let stores = Self.makeStores()
        self.stores = stores
        service = DSARService(DSARService.Configuration(
            catalog: Self.catalog, book: book, officers: officers, openStores: { _ in stores },
            packagesFolder: folder.appendingPathComponent("packages"), logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }))
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    var packagesFolder: URL { folder.appendingPathComponent("packages") }

    /// An application serving only the console, with the service (its run queue) beside it.
    func application() -> some ApplicationProtocol {
        let router = Router(context: DSARRequestContext.self)
        service.addRoutes(to: router)
        return Application(router: router, services: [service])
    }

    /// Adds officer `name`; returns the first password.
    func addOfficer(_ name: String = "alice") async throws -> String {
        try await OfficerAccounts.add(name, to: officers)
    }

    func subject(_ identifiers: String...) throws -> DataSubject {
        try DataSubject(parsing: identifiers, catalog: Self.catalog)
    }

    static let catalog: Catalog = {
        var catalog = Catalog(
            controller: Controller(name: "Atlas Contact SARL", contact: "dpo@example.com"),
            identifiers: [
                IdentifierType(name: "customer_id", kind: .opaque),
                IdentifierType(name: "email", kind: .email),
                IdentifierType(name: "phone", kind: .phone, region: "FR", shared: true),
            ],
            stores: [StoreDeclaration(name: "crm", type: "memory")],
            collections: [
                DataCollection(name: "customers", store: "crm", table: "customers", key: ["id"], identifiers: [
                    IdentifierColumn(column: "id", type: "customer_id"), IdentifierColumn(column: "email", type: "email"),
                    IdentifierColumn(column: "mobile", type: "phone"),
                ]),
                DataCollection(name: "calls", store: "crm", table: "calls", key: ["id"],
                               identifiers: [IdentifierColumn(column: "caller", type: "phone")],
                               references: [Reference(column: "customer_id", targetCollection: "customers", targetColumn: "id")]),
                DataCollection(name: "addresses", store: "crm", table: "addresses", key: ["id"]),
                DataCollection(name: "orders", store: "crm", table: "orders", key: ["id"],
                               references: [Reference(column: "customer_id", targetCollection: "customers", targetColumn: "id"),
                                            Reference(column: "address_id", targetCollection: "addresses", targetColumn: "id")]),
            ])
        catalog.collections[catalog.collections.firstIndex { $0.name == "orders" }!].recipients = ["Carrier: Aramex Tunisie"]
        return catalog
    }()

    static func makeStores() -> StoreSet {
        let crm = InMemoryStore(name: "crm")
        crm.createTable("customers", columns: ["id", "email", "mobile"], rows: [
            [.integer(1), .text("Amel.BenAli@Example.TN"), .text(amelMobile)],
            [.integer(2), .text("youssef@example.fr"), .text("01 45 67 89 10")],
        ])
        crm.createTable("calls", columns: ["id", "customer_id", "caller"], rows: [
            [.integer(10), .integer(1), .text("+21698123456")],
            [.integer(11), .integer(2), .text("0145678910")],
            [.integer(12), .null, .text("+33145678910")],
        ])
        crm.createTable("addresses", columns: ["id", "street"], rows: [[.integer(70), .text(street)]])
        crm.createTable("orders", columns: ["id", "customer_id", "address_id"], rows: [
            [.integer(50), .integer(1), .integer(70)], [.integer(51), .integer(2), .integer(70)],
        ])
        return StoreSet([crm])
    }
}

/// A clock a test moves by hand.
final class ConsoleClock: Sendable {
    private let date: Mutex<Date>
    init(_ date: Date) { self.date = Mutex(date) }
    var now: Date { date.withLock { $0 } }
    func set(_ new: Date) { date.withLock { $0 = new } }
}
