import CallCenterExample
import DSARKit
import Foundation
import GRDB
import Testing

@Suite("Keep rules in the catalog")
struct KeepRuleCatalogTests {
    private let rule = "    keep: { column: started_at, for: 6 months }\n"

    @Test("The example's calls are kept 6 months after started_at; until and every unit read")
    func reads() throws {
        let catalog = try Catalog.load(from: ExampleData.dataSet.catalogURL)
        let keep = try #require(catalog.collection(named: "calls")?.keep)
        #expect(keep == KeepRule(column: "started_at", limit: .period(RetentionPeriod(count: 6, unit: .months))))
        #expect(catalog.collection(named: "calls")?.retention == "6 months", "retention keeps its text for the package")
        #expect(keep.cutoff(at: try Date("2026-10-01T12:00:00Z", strategy: .iso8601)).description == "2026-04-01")
        #expect(keep.cutoff(at: try Date("2026-08-31T00:00:00Z", strategy: .iso8601)).description == "2026-02-28")
        #expect(RetentionPeriod("1 year") == RetentionPeriod(count: 1, unit: .years))
        #expect(RetentionPeriod("30 days")?.before(CalendarDay("2026-03-01")!).description == "2026-01-30")
        #expect(RetentionPeriod("2 weeks")?.before(CalendarDay("2026-03-01")!).description == "2026-02-15")
        let until = try load(rule, "    keep: { until: started_at }\n")
        #expect(until.collection(named: "calls")?.keep == KeepRule(column: "started_at", limit: .until))
        #expect(KeepRule(column: "c", limit: .until).cutoff(at: try Date("2026-10-01T12:00:00Z", strategy: .iso8601)).description == "2026-10-01")
    }

    @Test("A bad keep rule is refused naming its line and column", arguments: [
        ("    keep: { column: started_at, for: six months }\n", "is not a duration"),
        ("    keep: { column: started_at, for: 0 days }\n", "is not a duration"),
        ("    keep: { column: started_at, for: 6 fortnights }\n", "is not a duration"),
        ("    keep: { column: started_at }\n", "needs 'for'"),
        ("    keep: { for: 6 months }\n", "needs the column"),
        ("    keep: { until: ended_at, column: started_at, for: 6 months }\n", "either 'until' or 'column'"),
        ("    keep: { column: started_at, for: 6 months, after: x }\n", "unknown key 'after'"),
        ("    keep: 6 months\n", "must be a mapping"),
    ])
    func refused(replacement: String, message: String) throws {
        let text = try ExampleData.catalogText.replacingOccurrences(of: rule, with: replacement)
        let problems = try problems(text)
        let line = try #require(text.components(separatedBy: "\n").firstIndex { $0.hasPrefix("    keep:") }) + 1
        #expect(problems.contains { $0.message.contains(message) && $0.place.hasPrefix("dsar.yaml:\(line):") }, "\(problems)")
    }

    @Test("keep on a collection that is retained, or on a file pattern, is refused")
    func refusedOnRetainedOrPattern() throws {
        let retained = try ExampleData.catalogText.replacingOccurrences(of: "    erase: retain\n", with: "    erase: retain\n" + rule)
        #expect(try problems(retained).contains { $0.message.contains("'retain'") && $0.place.hasPrefix("dsar.yaml:") })
        let pattern = try ExampleData.catalogText.replacingOccurrences(of: "    pattern: \"voicemail/{phone}_{received}.wav\"\n",
                                                                       with: "    pattern: \"voicemail/{phone}_{received}.wav\"\n    keep: { column: received, for: 3 months }\n")
        #expect(try problems(pattern).contains { $0.message.contains("needs a table") })
    }

    @Test("dsar check names a keep column that does not exist, or holds no dates, at the rule's line")
    func checkedAgainstTheTable() async throws {
        let folder = try ExampleData.temporaryFolder()
        let dataSet = try CallCenterDataSet.generate(into: folder, customers: 4)
        try await DatabaseQueue(path: dataSet.databaseURL.path).write { db in try db.execute(sql: "ALTER TABLE calls ADD COLUMN rating REAL") }
        let text = try String(contentsOf: dataSet.catalogURL, encoding: .utf8)
        let line = try #require(text.components(separatedBy: "\n").firstIndex { $0.hasPrefix("    keep:") }) + 1
        for (column, message) in [("ended_at", "which does not exist"), ("rating", "not a time column")] {
            let url = folder.appendingPathComponent("\(column).yaml")
            try Data(text.replacingOccurrences(of: rule, with: "    keep: { column: \(column), for: 6 months }\n").utf8).write(to: url)
            let catalog = try Catalog.load(from: url)
            let problems = await CatalogCheck(catalog: catalog, logger: .init(label: "test")).run()
            #expect(problems.contains { $0.severity == .error && $0.message.contains(message) && $0.place.hasPrefix("\(column).yaml:\(line):") },
                    "\(problems)")
            let sweep = RetentionSweep(catalog: catalog, stores: try StoreSet.open(for: catalog, readOnly: false),
                                       ledger: try Ledger(url: folder.appendingPathComponent("\(column).sqlite")), logger: .init(label: "test"))
            let refused = await #expect(throws: DSARError.self) { try await sweep.plan() }
            #expect(refused?.code == .invalidCatalog && refused?.location?.hasPrefix("\(column).yaml:\(line):") == true)
        }
    }

    private func load(_ old: String, _ new: String) throws -> Catalog {
        try Catalog.parse(yaml: try ExampleData.catalogText.replacingOccurrences(of: old, with: new), sourceName: "dsar.yaml",
                          baseDirectory: URL(fileURLWithPath: "/tmp"))
    }

    private func problems(_ text: String) throws -> [CatalogProblem] {
        do {
            _ = try Catalog.parse(yaml: text, sourceName: "dsar.yaml", baseDirectory: URL(fileURLWithPath: "/tmp"))
            Issue.record("the catalog should not have loaded")
            return []
        } catch let error as CatalogError {
            return error.problems
        }
    }
}
