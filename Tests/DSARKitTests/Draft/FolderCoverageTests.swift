import DSARKit
import Foundation
import Testing

@Suite("dsar check --coverage on folders: keys and addresses in file names, ignored folders")
struct FolderCoverageTests {
    static func check(_ fixture: CrossStoreDraftTests.Fixture, _ catalog: Catalog) async throws -> CoverageReport {
        try await CoverageCheck(catalog: catalog).run(sources: [try SQLiteStore(name: "crm", path: fixture.crm),
                                                               try SQLiteStore(name: "telephony", path: fixture.telephony)],
                                                      folders: [try FolderStore(name: "spool", root: fixture.root)])
    }

    static func add(_ files: [String], to root: URL) throws {
        for file in files {
            let url = root.appendingPathComponent(file)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data("x".utf8).write(to: url)
        }
    }

    static let added = ["exports/customer-1.csv", "exports/customer-3.csv",
                        "mail/\(CrossStoreDraftTests.emails[0])_1.eml", "mail/\(CrossStoreDraftTests.emails[1])_2.eml"]

    @Test("files added outside the catalog whose names hold keys or addresses are listed by shape, never a value")
    func uncoveredShapes() async throws {
        let fixture = try CrossStoreDraftTests.fixture()
        let yaml = try await fixture.draft().yaml
        let catalog = try Catalog.parse(yaml: yaml, sourceName: "draft.yaml", baseDirectory: fixture.folder)
        #expect(try await Self.check(fixture, catalog).unmappedFiles.isEmpty)

        try Self.add(Self.added, to: fixture.root)
        let report = try await Self.check(fixture, catalog)
        #expect(report.unmappedFiles.map { "\($0.store)/\($0.pattern) \($0.kind)" }.sorted()
                == ["spool/exports/customer-{customer_id}.csv key", "spool/mail/{email}_{n1}.eml email"])
        #expect(report.hasUnmappedIdentifiers)
        #expect(report.lines.contains("spool/exports/customer-{customer_id}.csv: files whose names hold keys of a catalogued table, "
                                      + "which no collection covers (2 of 2 sampled file names hold a key of customers.id (store crm); "
                                      + "the path names customers)"), "\(report.lines)")
        #expect(report.lines.contains("spool/mail/{email}_{n1}.eml: files whose names hold email addresses, which no collection covers "
                                      + "(the name of each of 2 files holds an email address here)"))
        let output = report.lines.joined(separator: "\n") + String(decoding: try JSONEncoder().encode(report), as: UTF8.self)
        #expect((CrossStoreDraftTests.emails + ["amel", "kim.roy"]).allSatisfy { !output.contains($0) })
    }

    @Test("a folder in coverage.ignore with its reason is not reported; its files are counted")
    func ignoredFolders() async throws {
        let fixture = try CrossStoreDraftTests.fixture()
        let yaml = try await fixture.draft().yaml + """
            coverage:
              ignore:
                - { folder: spool/exports, reason: "exports are deleted nightly" }
                - { folder: spool/mail/, reason: "archived, erased by the mail server's own retention" }

            """
        try Self.add(Self.added, to: fixture.root)
        let catalog = try Catalog.parse(yaml: yaml, sourceName: "draft.yaml", baseDirectory: fixture.folder)
        #expect(catalog.coverageIgnores.map { "\($0.store ?? "")/\($0.folder ?? "")" } == ["spool/exports", "spool/mail"])
        let report = try await Self.check(fixture, catalog)
        #expect(report.unmappedFiles.isEmpty)
        #expect(report.ignoredFiles == 4)
        #expect(!report.hasUnmappedIdentifiers)
    }

    @Test("an ignored folder outside a files store, or without a reason, is refused naming its line")
    func badFolderRefused() async throws {
        let fixture = try CrossStoreDraftTests.fixture()
        let yaml = try await fixture.draft().yaml
        for (entry, message) in [("{ folder: crm/exports, reason: old }", "must start with a files store: 'crm' is not one"),
                                 ("{ folder: spool/exports }", "the ignored folder 'spool/exports' gives no reason"),
                                 ("{ folder: spool/../etc, reason: x }", "must be a folder below the store's root"),
                                 ("{ folder: spool/a, column: calls.id, reason: x }", "a column or a folder, not both")] {
            let error = try #require(throws: CatalogError.self) {
                try Catalog.parse(yaml: yaml + "coverage:\n  ignore:\n    - \(entry)\n", sourceName: "draft.yaml", baseDirectory: fixture.folder)
            }
            #expect(error.problems.contains { $0.severity == .error && $0.place.hasPrefix("draft.yaml:") && $0.message.contains(message) },
                    "\(error.problems)")
        }
    }
}
