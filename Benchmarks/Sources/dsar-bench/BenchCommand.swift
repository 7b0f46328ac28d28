import ArgumentParser

/// Tools for the benchmark script (`Benchmarks/run.sh`): a seeded scale data set, and timed
/// runs of DSARKit's library API against it.
@main
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dsar-bench",
        abstract: "Generate the scale data set and time DSARKit against it (used by Benchmarks/run.sh).",
        subcommands: [Generate.self, Discover.self, BaselineSQL.self, PostgresSchema.self, BaselineEraseSQL.self, BaselineEraseFiles.self]
    )
}
