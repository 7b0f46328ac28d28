import DSARKit
import Foundation
import Testing

@Suite("Catalog ledger setting")
struct LedgerSettingTests {
    private let base = """
        version: 1
        controller: { name: Atlas Contact SARL, contact: dpo@example.com }
        identifiers: { customer_id: { type: opaque } }
        stores: { crm: { type: sqlite, path: crm.sqlite } }
        collections:
          customers: { store: crm, table: customers, key: id, identifiers: { id: customer_id }, purpose: Accounts, lawfulBasis: contract, retention: 1 year, erase: delete }

        """

    private func problems(_ ledger: String) -> [CatalogProblem] {
        do {
            _ = try Catalog.parse(yaml: base + "ledger: \(ledger)\n", sourceName: "dsar.yaml", baseDirectory: URL(fileURLWithPath: "/srv/dsar"))
            return []
        } catch let error as CatalogError {
            return error.problems
        } catch {
            Issue.record("unexpected \(error)")
            return []
        }
    }

    @Test("A ledger that is neither a path nor a supported URL is an error naming its line")
    func junk() {
        for value in ["\"mysql://dsar@db.internal/dsar\"", "\"postgres:/db.internal/dsar\"", "\"postgresql:dsar\"", "\"sqlite://ledger.sqlite\"",
                      "\"postgres://db.internal/dsar\"", "\"postgres://dsar@/dsar\"", "\"postgres://dsar:hunter2@db.internal/dsar\""] {
            let found = problems(value)
            let problem = found.first { $0.severity == .error }
            #expect(problem?.place == "dsar.yaml:7:9", "\(value): \(found.map { "\($0.place) \($0.message)" })")
            #expect(problem?.message.contains("ledger") == true, "\(value)")
            #expect(problem.map { !$0.message.contains("hunter2") && !"\($0)".contains("hunter2") } ?? false)
        }
    }

    @Test("Paths and PostgreSQL URLs are accepted")
    func accepted() throws {
        for value in [".dsar/ledger.sqlite", "/var/lib/dsar/ledger.sqlite", "data/ledger-v2.sqlite", "\"postgres://dsar@db.internal:5432/dsar\"",
                      "\"postgresql://dsar@db.internal/dsar\""] {
            #expect(problems(value).isEmpty, "\(value)")
        }
    }

    @Test("A PostgreSQL ledger is never opened as a SQLite file by the request book")
    func requestsRefusePostgres() throws {
        let folder = try ExampleData.temporaryFolder()
        let catalog = try Catalog.parse(yaml: base + "ledger: \"postgres://dsar@127.0.0.1:9/dsar\"\n", baseDirectory: folder)
        let error = #expect(throws: DSARError.self) { try Ledger.opening(for: catalog) }
        #expect(error?.message.contains("PostgreSQL") == true)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty, "nothing is created beside the catalog")
    }
}
