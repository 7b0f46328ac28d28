import ArgumentParser
import DSARKit
import Foundation

/// `dsar check --coverage [--json]`: what the catalog misses in the live stores.
struct CoverageOptions: ParsableArguments {
    @Flag(name: .long, help: ArgumentHelp(
        "Also sample every column outside the catalog for emails and phone numbers, list files whose names hold identifiers that no collection covers, and list collections nothing reaches.",
        discussion: "Exit 1 when a column or a shape of file names not in the catalog, nor in its coverage.ignore list, holds identifiers."))
    var coverage = false

    @Option(name: .long, help: "With --coverage: how many non-NULL values of each column to sample.")
    var sample: Int = 1000

    @Flag(name: .long, help: "With --coverage: print the check's problems and the coverage findings as JSON.")
    var json = false

    func validate() throws {
        if json, !coverage { throw ValidationError("--json is for --coverage") }
        guard sample > 0 else { throw ValidationError("--sample must be at least 1") }
    }

    struct Output: Encodable {
        struct Problem: Encodable {
            var severity: String
            var place: String
            var message: String
            var fix: String?
        }

        var problems: [Problem]
        var coverage: CoverageReport
    }

    func run(_ catalog: Catalog, problems: [CatalogProblem], options: CatalogOptions) async throws {
        let stores = try options.openStores(catalog)
        let sources = catalog.stores.compactMap { stores.stores[$0.name] as? any SchemaSource }
        // Folders and buckets alike: every store that can list its files.
        let folders = catalog.stores.compactMap { stores.stores[$0.name] as? any ListableFileStore }
        let report = try await CoverageCheck(catalog: catalog, sampleSize: sample).run(sources: sources, folders: folders)
        let errors = problems.filter { $0.severity == .error }.count
        if json {
            let listed = problems.map { Output.Problem(severity: $0.severity.rawValue, place: $0.place, message: $0.message, fix: $0.fix) }
            print(try JSONOutput.text(Output(problems: listed, coverage: report)))
        } else {
            for problem in problems { print(problem) }
            for line in report.lines { print(line) }
            let ignored = report.ignoredColumns
            print("Coverage: \(report.unmappedColumns.count) column\(report.unmappedColumns.count == 1 ? "" : "s") outside the catalog hold identifiers, "
                  + "\(report.unmappedFiles.count) file name shape\(report.unmappedFiles.count == 1 ? "" : "s") outside the catalog hold identifiers, "
                  + "\(report.unreachableCollections.count) collection\(report.unreachableCollections.count == 1 ? "" : "s") unreachable, "
                  + "\(ignored) column\(ignored == 1 ? "" : "s") and \(report.ignoredFiles) file\(report.ignoredFiles == 1 ? "" : "s") ignored by coverage.ignore.")
        }
        if errors > 0 || report.hasUnmappedIdentifiers {
            FileHandle.printError("dsar: \(errors) error\(errors == 1 ? "" : "s"), \(report.unmappedColumns.count) unmapped identifier column\(report.unmappedColumns.count == 1 ? "" : "s"), "
                                  + "\(report.unmappedFiles.count) unmapped file name shape\(report.unmappedFiles.count == 1 ? "" : "s")")
            throw ExitCode(1)
        }
    }
}
