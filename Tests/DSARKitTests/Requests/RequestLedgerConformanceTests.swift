import DSARKit
import DSARKitTesting
import Foundation
import Testing

@Suite("Request ledgers: the conformance suite")
struct RequestLedgerConformanceTests {
    @Test("The SQLite ledger keeps requests as every request ledger must")
    func sqlite() async throws {
        let root = try ExampleData.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let failures = await RequestLedgerConformance {
            try Ledger.opening(url: root.appendingPathComponent(UUID().uuidString).appendingPathComponent("ledger.sqlite"))
        }.run()
        #expect(failures.isEmpty, "\(failures)")
    }

    @Test("The in-memory ledger keeps requests as every request ledger must")
    func inMemory() async throws {
        let root = try ExampleData.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let failures = await RequestLedgerConformance {
            InMemoryRequestLedger(keys: LedgerKeys(folder: root.appendingPathComponent(UUID().uuidString)))
        }.run()
        #expect(failures.isEmpty, "\(failures)")
    }
}
