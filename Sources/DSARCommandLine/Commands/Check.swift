import ArgumentParser
import DSARKit
import Foundation

extension DSAR {
    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the catalog against the real stores.",
            discussion: """
            Reports, with the catalog line and column or the store and table: YAML errors, unknown \
            identifier types or stores, missing tables, columns or folders, references to nothing, \
            reference cycles (no erasure order), and lookups without an index. Exits non-zero on any error.
            """
        )

        @OptionGroup var options: CatalogOptions
        @OptionGroup var coverage: CoverageOptions

        func run() async throws {
            let catalog: Catalog
            do {
                catalog = try options.loadCatalog()
            } catch let error as CatalogError {
                print(error.problems.map(\.description).joined(separator: "\n"))
                let count = error.problems.filter { $0.severity == .error }.count
                FileHandle.printError("dsar: the catalog has \(count) error\(count == 1 ? "" : "s"); nothing was touched")
                throw ExitCode(1)
            }
            let problems = await CatalogCheck(catalog: catalog, logger: options.logger).run(openers: CatalogOptions.openers)
            if coverage.coverage {
                try await coverage.run(catalog, problems: problems, options: options)
                return
            }
            for problem in problems { print(problem) }
            let errors = problems.filter { $0.severity == .error }.count
            let warnings = problems.count - errors
            guard errors == 0 else {
                FileHandle.printError("dsar: \(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")")
                throw ExitCode(1)
            }
            let order = catalog.erasureOrder?.joined(separator: ", ") ?? "-"
            print("Catalog OK: \(catalog.collections.count) collections in \(catalog.stores.count) stores, \(warnings) warning\(warnings == 1 ? "" : "s").")
            print("Erasure order (children first): \(order)")
        }
    }
}
