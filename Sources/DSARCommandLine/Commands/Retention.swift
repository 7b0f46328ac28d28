import ArgumentParser
import DSARKit
import DSARKitPostgres
import Foundation

extension DSAR {
    struct RetentionGroup: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "retention",
            abstract: "Apply the catalog's keep: rules.",
            subcommands: [Sweep.self]
        )
    }
}

extension DSAR.RetentionGroup {
    struct Sweep: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Erase every record past its keep: rule, across all subjects: plan (--dry-run), execute, or resume.",
            discussion: """
            Each collection with a keep: rule is read with one query for the rows dated before its cutoff; \
            the rows under them follow (a call's recordings), holds are honoured, and each collection's own \
            erase: rule (delete, mask) is applied, with the same journal, lock, verification and signed \
            certificate as `dsar erase`. --dry-run prints counts per collection and changes nothing. \
            Running it again plans nothing: schedule it daily (cron, systemd timer). \
            An interrupted sweep is finished by --resume RUN (or `dsar erase --resume`).
            """
        )

        @OptionGroup var options: CatalogOptions
        @Flag(help: "Show what the sweep would do, as counts; change nothing.") var dryRun = false
        @Flag(help: "Run the sweep.") var execute = false
        @Option(help: ArgumentHelp("Finish this interrupted sweep.", valueName: "run")) var resume: String?
        @Option(help: ArgumentHelp("Sweep only these collections with a keep: rule (comma-separated; the rows under theirs still follow).",
                                   valueName: "collection"))
        var only: [String] = []
        @Option(help: ArgumentHelp("Write the signed certificate here.", valueName: "path")) var certificate: String?

        func validate() throws {
            guard [dryRun, execute, resume != nil].filter({ $0 }).count == 1 else {
                throw ValidationError("choose one of --dry-run, --execute or --resume RUN")
            }
            if resume != nil, !only.isEmpty { throw ValidationError("--resume finishes a sweep as it was planned; it takes no --only") }
        }

        private var collections: [String] {
            only.flatMap { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } }.filter { !$0.isEmpty }
        }

        func run() async throws {
            let catalog = try options.loadCatalog()
            let context = CommandContext.current
            let ledger = try options.openLedger(catalog)
            defer { (ledger as? PostgresLedger)?.close() }
            let stores = try options.openStores(catalog, readOnly: dryRun)
            var sweep = RetentionSweep(catalog: catalog, stores: stores, ledger: context.erasureLedger(ledger), now: context.now,
                                       logger: options.logger)
            let progress = StepProgressBar()
            sweep.onStep = { done, total in progress.advance(done, of: total) }
            defer { progress.finish() }
            if dryRun {
                print(SweepSummary(plan: try await sweep.plan(only: collections)).text)
                return
            }
            let outcome: ErasureOutcome
            if let resume {
                guard let journal = try await ledger.unfinishedRuns().first(where: { $0.plan.requestID == resume }) else {
                    throw Failure.Message("no unfinished run \(resume) in the ledger; nothing was touched")
                }
                guard journal.plan.retention != nil else {
                    throw Failure.Message("run \(resume) is an erasure, not a sweep: finish it with `dsar erase --resume`; nothing was touched")
                }
                outcome = try await sweep.resume(journal)
            } else {
                outcome = try await sweep.execute(only: collections)
            }
            print(SweepSummary(plan: outcome.plan).outcomeText(outcome))
            if let certificate {
                try outcome.certificate.json().write(to: URL(fileURLWithPath: certificate))
                print("Certificate written to \(certificate).")
            }
            if !outcome.isComplete {
                throw Failure.Message("the sweep is incomplete: verification still finds \(outcome.residue.count) items")
            }
        }
    }
}

/// A sweep as a privacy officer reads it: counts per collection, never keys or contents.
struct SweepSummary {
    let plan: ErasurePlan

    var text: String {
        var lines = ["Retention sweep \(plan.requestID)"]
        for part in plan.retention?.parts ?? [] {
            lines.append("  \(part.collection): kept \(part.rule); \(part.pastRule) row\(part.pastRule == 1 ? "" : "s") dated before \(part.cutoff)")
        }
        lines += counts
        lines.append("\n\(plan.steps.count) steps. Nothing was changed.")
        return lines.joined(separator: "\n")
    }

    func outcomeText(_ outcome: ErasureOutcome) -> String {
        var lines = ["Retention sweep \(plan.requestID): \(outcome.isComplete ? "complete" : "INCOMPLETE")"
                     + (outcome.replanned ? " (re-planned: the data had changed)" : "")]
        lines += counts
        lines.append("  \(outcome.certificate.filesDeleted) files deleted")
        for item in outcome.residue.prefix(20) { lines.append("  still found: \(item)") }
        return lines.joined(separator: "\n")
    }

    private var counts: [String] {
        var lines: [String] = []
        for collection in plan.collections {
            var parts: [String] = []
            if !collection.deleted.isEmpty { parts.append("\(collection.deleted.count) deleted") }
            if !collection.masked.isEmpty { parts.append("\(collection.masked.count) masked") }
            if !collection.held.isEmpty { parts.append("\(collection.held.count) held") }
            if !collection.kept.isEmpty { parts.append("\(collection.kept.count) kept (a row that stays points at them)") }
            if !collection.shared.isEmpty { parts.append("\(collection.shared.count) kept (shared with rows that stay)") }
            if !collection.retained.isEmpty { parts.append("\(collection.retained.count) retained") }
            if !collection.files.isEmpty { parts.append("\(collection.files.count) files deleted") }
            if !collection.blocked.isEmpty { parts.append("\(collection.blocked.count) kept: linked file missing or unreadable") }
            guard !parts.isEmpty else { continue }
            lines.append("\n\(collection.collection) (\(collection.store)): " + parts.joined(separator: ", "))
            var holds: [String: Int] = [:]
            for held in collection.held {
                holds[held.under.map { "with \($0.split(separator: "[").first ?? "") under a hold: \(held.reason)" } ?? held.reason, default: 0] += 1
            }
            for (reason, count) in holds.sorted(by: { $0.key < $1.key }) { lines.append("  held \(count): \(reason)") }
        }
        if lines.isEmpty { lines.append("\nNothing is past its rule.") }
        return lines
    }
}
