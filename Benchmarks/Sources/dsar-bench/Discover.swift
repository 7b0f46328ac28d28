import ArgumentParser
import DSARKit
import DSARKitPostgres
import Foundation

extension BenchCommand {
    struct Discover: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Discover every subject of a file in one process through the library API; print latencies as JSON.")

        @Option(help: "The catalog.") var catalog: String
        @Option(help: "One subject per line (type:value).") var subjects: String
        @Flag(help: "Keep only the columns that link records, as `dsar access` does.") var linkColumns = false

        func run() async throws {
            let catalog = try Catalog.load(from: URL(fileURLWithPath: catalog))
            let stores = try StoreSet.open(for: catalog, openers: ["postgres": PostgresStore.opener])
            let discovery = Discovery(catalog: catalog, stores: stores)
            let lines = try String(contentsOfFile: subjects, encoding: .utf8).split(separator: "\n").map(String.init)
            var durations: [Duration] = []
            var records = 0
            let clock = ContinuousClock()
            let total = try await clock.measure {
                for line in lines {
                    let subject = try DataSubject(parsing: [line], catalog: catalog)
                    var found = 0
                    durations.append(try await clock.measure { found = try await discovery.discover(subject, keeping: linkColumns ? .linkColumns : .allColumns).records.count })
                    records += found
                }
            }
            let milliseconds = durations.map { Double($0.components.attoseconds) / 1e15 + Double($0.components.seconds) * 1000 }.sorted()
            func percentile(_ p: Double) -> Double { milliseconds[min(milliseconds.count - 1, Int(Double(milliseconds.count) * p))] }
            let report: [String: Double] = [
                "subjects": Double(lines.count), "records": Double(records),
                "p50_ms": percentile(0.50), "p99_ms": percentile(0.99),
                "total_s": Double(total.components.seconds) + Double(total.components.attoseconds) / 1e18,
            ]
            let data = try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        }
    }
}
