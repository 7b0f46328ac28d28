import ArgumentParser
import DSARKit
import DSARKitPostgres
import Foundation
import Synchronization

extension DSAR {
    struct Worker: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Erase the subjects queued on the shared ledger (ledger: postgres://… in the catalog).",
            discussion: """
            Takes one subject at a time per --concurrency slot with SELECT … FOR UPDATE SKIP LOCKED, \
            erases it, and records the outcome in the queue; run as many workers on as many machines as \
            you like. A worker that dies leaves its subject to the next one, which resumes the run from \
            the shared journal. --until-empty exits once nothing is queued (for cron and batch jobs); \
            without it the worker polls until stopped. Every worker needs the same key folder \
            (`dsar keys generate` once, then copy it).
            """
        )

        @OptionGroup var options: CatalogOptions
        @Option(help: "Subjects erased at the same time by this process.") var concurrency = 1
        @Flag(help: "Exit once the queue is drained.") var untilEmpty = false
        @Flag(help: "First put subjects whose erasure failed back on the queue (after the obstacle was settled).")
        var retryFailed = false
        @Option(help: ArgumentHelp("Append one JSON line per subject here.", valueName: "path")) var outcomes: String?

        func validate() throws {
            guard (1...64).contains(concurrency) else { throw ValidationError("--concurrency must be between 1 and 64") }
        }

        func run() async throws {
            let catalog = try options.loadCatalog()
            guard catalog.hasPostgresLedger else {
                throw Failure.Message("dsar worker needs a shared ledger: set `ledger: postgres://…` in the catalog")
            }
            let environment = ProcessInfo.processInfo.environment
            let ledger = try PostgresLedger(catalog: catalog, environment: environment, maxConnections: concurrency * 2 + 2,
                                            logger: options.logger)
            defer { ledger.close() }
            let stores = try options.openStores(catalog, readOnly: false)
            let context = CommandContext.current
            let erasure = Erasure(catalog: catalog, stores: stores, ledger: context.erasureLedger(ledger), now: context.now,
                                  logger: options.logger)
            let output = try OutcomeFile(path: outcomes)
            defer { output.close() }
            if retryFailed {
                let count = try await ledger.requeueFailed()
                print("Requeued \(count) failed subject(s).")
            }
            let worker = ErasureWorker(erasure: erasure, ledger: ledger, logger: options.logger)
            let summary = try await worker.run(concurrency: concurrency, untilEmpty: untilEmpty) { outcome in
                output.append(outcome)
            }
            print("Worker: \(summary.total) subjects, \(summary.completed) completed, \(summary.incomplete) incomplete, " +
                  "\(summary.failed) failed, \(summary.resumed) resumed from another worker.")
            if summary.failed + summary.incomplete > 0 {
                throw Failure.Message("\(summary.failed + summary.incomplete) subjects were not fully erased; see the queue's outcomes")
            }
        }
    }
}

/// The `--outcomes` file, written by every concurrent slot one line at a time.
final class OutcomeFile: Sendable {
    private let handle: Mutex<FileHandle?>

    init(path: String?) throws {
        guard let path else { handle = Mutex(nil); return }
        if !FileManager.default.fileExists(atPath: path) { _ = FileManager.default.createFile(atPath: path, contents: nil) }
        let file = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try file.seekToEnd()
        handle = Mutex(file)
    }

    func append(_ outcome: QueueOutcome) {
        guard let line = try? JSONOutput.line(outcome) else { return }
        handle.withLock { try? $0?.write(contentsOf: line) }
    }

    func close() {
        handle.withLock { try? $0?.close() }
    }
}
