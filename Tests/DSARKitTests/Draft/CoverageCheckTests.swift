import DSARKit
import Foundation
import GRDB
import Testing

@Suite("dsar check --coverage: what the catalog misses")
struct CoverageCheckTests {
    /// Adds `calls.callback_number`, a copy of each call's caller number, to the live table.
    static func addCallbackColumn(_ fixture: DraftFixture) throws {
        let queue = try DatabaseQueue(path: fixture.dataSet.databaseURL.path)
        try queue.write { db in
            try db.execute(sql: "ALTER TABLE calls ADD COLUMN callback_number TEXT")
            try db.execute(sql: "UPDATE calls SET callback_number = caller_number")
        }
    }

    @Test("the example's catalog covers its database")
    func exampleIsCovered() async throws {
        let fixture = try DraftFixture()
        let report = try await CoverageCheck(catalog: try Catalog.load(from: fixture.dataSet.catalogURL)).run(sources: [fixture.store])
        #expect(report.unmappedColumns.isEmpty)
        #expect(report.unreachableCollections.isEmpty)
    }

    @Test("a column added to a live table is caught, without its values")
    func addedColumnCaught() async throws {
        let fixture = try DraftFixture()
        try Self.addCallbackColumn(fixture)
        let report = try await CoverageCheck(catalog: try Catalog.load(from: fixture.dataSet.catalogURL)).run(sources: [fixture.store])
        #expect(report.unmappedColumns.map { "\($0.store)/\($0.table).\($0.column)=\($0.kind)" } == ["crm/calls.callback_number=phone"])
        #expect(report.hasUnmappedIdentifiers)
        let output = report.lines.joined(separator: "\n") + String(decoding: try JSONEncoder().encode(report), as: UTF8.self)
        #expect(try fixture.identifierValues().allSatisfy { !output.contains($0) })
    }

    @Test("a column in coverage.ignore is not reported")
    func ignoredColumnNotReported() async throws {
        let fixture = try DraftFixture()
        try Self.addCallbackColumn(fixture)
        let yaml = try String(contentsOf: fixture.dataSet.catalogURL, encoding: .utf8)
            + "coverage:\n  ignore:\n    - { column: calls.callback_number, reason: \"copy of caller_number, erased with the call\" }\n"
        let catalog = try Catalog.parse(yaml: yaml, baseDirectory: fixture.dataSet.directory)
        let report = try await CoverageCheck(catalog: catalog).run(sources: [fixture.store])
        #expect(report.unmappedColumns.isEmpty)
        #expect(report.ignoredColumns == 1)
    }

    @Test("an ignore entry without a reason or not table.column is refused, naming its line")
    func badIgnoreRefused() throws {
        let base = try String(contentsOf: ExampleData.dataSet.catalogURL, encoding: .utf8)
        for entry in ["{ column: calls.callback_number }", "{ column: callback_number, reason: copy }"] {
            let error = try #require(throws: CatalogError.self) {
                try Catalog.parse(yaml: base + "coverage:\n  ignore:\n    - \(entry)\n", sourceName: "dsar.yaml",
                                  baseDirectory: ExampleData.dataSet.directory)
            }
            #expect(error.problems.contains { problem in
                problem.severity == .error && problem.place.hasPrefix("dsar.yaml:")
                    && (problem.message.contains("coverage.ignore") || problem.message.contains("no reason"))
            })
        }
    }

    @Test("a catalogued collection no identifier or reference reaches is listed")
    func unreachableCollection() async throws {
        let fixture = try DraftFixture()
        let yaml = try String(contentsOf: fixture.dataSet.catalogURL, encoding: .utf8)
            .replacingOccurrences(of: "    references: { call_id: calls.id }\n", with: "")
        let catalog = try Catalog.parse(yaml: yaml, baseDirectory: fixture.dataSet.directory)
        let report = try await CoverageCheck(catalog: catalog).run(sources: [fixture.store])
        #expect(report.unreachableCollections.map(\.collection) == ["recordings"])
    }
}
