import DSARKit
import DSARKitTesting
import Foundation
import GRDB
import Testing

@Suite("Ledger conformance")
struct LedgerConformanceTests {
    @Test("The SQLite ledger passes LedgerConformance, tampering included")
    func sqlite() async throws {
        let failures = await LedgerConformance(tamper: { ledger in
            let database = try DatabaseQueue(path: (ledger as! Ledger).url.path)
            try await database.write { try $0.execute(sql: "UPDATE audit SET detail = 'entry 9' WHERE seq = 2") }
        }, makeLedger: {
            let ledger = try Ledger(url: try ExampleData.temporaryFolder(UUID().uuidString).appendingPathComponent("ledger.sqlite"))
            _ = try ledger.maskingKey()
            return ledger
        }).run()
        #expect(failures.isEmpty, "\(failures)")
    }

    @Test("The in-memory ledger passes LedgerConformance, tampering included")
    func inMemory() async throws {
        let failures = await LedgerConformance(tamper: { ledger in
            let memory = ledger as! InMemoryLedger
            guard var entry = try await memory.auditEntries().first(where: { $0.sequence == 2 }) else { return }
            entry.detail = "entry 9"
            await memory.replaceAuditEntry(2, with: entry)
        }, makeLedger: {
            InMemoryLedger(keys: LedgerKeys(folder: try ExampleData.temporaryFolder(UUID().uuidString)))
        }).run()
        #expect(failures.isEmpty, "\(failures)")
    }
}
