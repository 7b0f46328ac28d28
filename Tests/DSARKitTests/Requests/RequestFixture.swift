import DSARKit
import DSARKitTesting
import Foundation
import Synchronization

/// A ledger in a fresh folder, a request book on a clock the test moves, and the household
/// fixture's stores (in memory) to run requests against.
final class RequestFixture: Sendable {
    let folder: URL
    let ledger: Ledger
    let book: RequestBook
    let clock: TestClock

    init(now: String = "2026-01-31T09:00:00Z", _ name: String = #function) async throws {
        folder = try ExampleData.temporaryFolder(name)
        ledger = try Ledger(url: folder.appendingPathComponent(".dsar/ledger.sqlite"))
        try ledger.generateSigningKey()
        let clock = TestClock(try Date(now, strategy: .iso8601))
        self.clock = clock
        book = try await RequestBook(ledger: ledger, now: { clock.now })
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    func set(_ now: String) throws {
        let date = try Date(now, strategy: .iso8601)
        clock.set(date)
    }

    /// The household catalog, with recipients declared for orders and calls (Art. 19).
    let catalog: Catalog = {
        var catalog = HouseholdFixture.catalog
        catalog.collections[catalog.collections.firstIndex { $0.name == "orders" }!].recipients = ["Carrier: Aramex Tunisie"]
        catalog.collections[catalog.collections.firstIndex { $0.name == "calls" }!].recipients =
            ["Quality auditor: Qualimetrie SAS", "Carrier: Aramex Tunisie"]
        catalog.collections[catalog.collections.firstIndex { $0.name == "agents" }!].recipients = ["Payroll provider"]
        return catalog
    }()

    func subject(_ identifiers: String...) throws -> DataSubject {
        try DataSubject(parsing: identifiers, catalog: catalog)
    }

    func run(_ stores: StoreSet) -> RequestRun {
        RequestRun(catalog: catalog, stores: stores, book: book)
    }
}

/// A clock a test moves by hand.
final class TestClock: Sendable {
    private let date: Mutex<Date>
    init(_ date: Date) { self.date = Mutex(date) }
    var now: Date { date.withLock { $0 } }
    func set(_ new: Date) { date.withLock { $0 = new } }
}
