import CallCenterExample
import ArgumentParser
import Foundation

extension BenchCommand {
    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write the seeded scale data set (skipped when already there).")

        @Option(help: "Folder of the data set.") var dir: String
        @Option(help: "Number of customers (five calls each).") var customers = 1_000_000
        @Option(help: "Seed.") var seed: UInt64 = 2026
        @Option(help: "Subjects for the discovery benchmark, written one email per line to this file.") var subjects: String?
        @Option(help: "How many subjects.") var subjectCount = 1_000
        @Flag(help: "Pick each subject at most once.") var distinct = false

        func run() throws {
            let folder = URL(fileURLWithPath: dir)
            let marker = folder.appendingPathComponent("generated-\(customers)-\(seed)")
            let dataSet = ScaleDataSet(directory: folder, customers: customers, seed: seed)
            if FileManager.default.fileExists(atPath: marker.path) {
                print("data set already in \(dir)")
            } else {
                try dataSet.generate()
                FileManager.default.createFile(atPath: marker.path, contents: Data())
                print("generated \(customers) customers, \(customers * 5) calls in \(dir)")
            }
            if let subjects {
                var random = SplitMix64(seed: seed ^ 0x5EED)
                var picks: [Int] = []
                var taken = Set<Int>()
                while picks.count < min(subjectCount, customers - 1) {
                    let pick = Int(random.next() % UInt64(customers - 1)) + 2
                    if !distinct || taken.insert(pick).inserted { picks.append(pick) }
                }
                try picks.map { "email:" + ScaleDataSet.email(of: $0).lowercased() }.joined(separator: "\n")
                    .appending("\n").write(toFile: subjects, atomically: true, encoding: .utf8)
            }
        }
    }
}
