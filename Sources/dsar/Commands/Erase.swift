import ArgumentParser
import DSARKit
import Foundation

extension DSAR {
    struct Erase: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Erase a person's data: plan (--dry-run), execute, resume, or run a batch.",
            discussion: """
            --dry-run prints what would happen per collection (delete, mask, hold, retain, shared) and \
            changes nothing. --execute writes the plan to the ledger, executes it step by step \
            (children before parents, files before the rows pointing at them), verifies with a new \
            discovery and issues a signed certificate (run `dsar keys generate` once first). \
            --resume finishes runs that were interrupted. --batch erases one subject per line.
            """
        )

        @OptionGroup var options: CatalogOptions
        @OptionGroup var subject: SubjectOptions

        @Flag(help: "Show the plan; change nothing.") var dryRun = false
        @Flag(help: "Execute the erasure.") var execute = false
        @Flag(help: "Finish every interrupted erasure recorded in the ledger.") var resume = false
        @Option(help: ArgumentHelp("Give up an interrupted erasure that cannot be finished (recorded in the audit log).",
                                   valueName: "request-id")) var abandon: String?
        @Option(help: ArgumentHelp("Write the plan as JSON (with --dry-run).", valueName: "path")) var planOut: String?
        @Option(help: ArgumentHelp("Erase only rows whose lawful basis is this one (consent: withdrawal of consent).",
                                   valueName: "basis")) var onlyBasis: String?
        @Option(help: ArgumentHelp("Write the signed certificate here.", valueName: "path")) var certificate: String?
        @Option(help: ArgumentHelp("A file of subjects, one per line: type:value[;type:value…].", valueName: "path"))
        var batch: String?
        @Option(help: ArgumentHelp("Where a batch writes one JSON line per subject.", valueName: "path"))
        var outcomes: String?

        func validate() throws {
            let modes = [dryRun, execute, resume, abandon != nil].filter { $0 }.count
            guard modes == 1 else { throw ValidationError("choose one of --dry-run, --execute, --resume or --abandon") }
            if abandon != nil { return }
            if resume, !subject.subject.isEmpty || batch != nil { throw ValidationError("--resume takes no subject") }
            if !resume, subject.subject.isEmpty == (batch == nil) {
                throw ValidationError("name the person with --subject type:value, or give --batch FILE")
            }
            if batch != nil, !execute { throw ValidationError("--batch needs --execute") }
            if let onlyBasis, LawfulBasis(rawValue: onlyBasis) == nil {
                throw ValidationError("--only-basis must be one of " + LawfulBasis.allCases.map(\.rawValue).joined(separator: ", "))
            }
        }

        func run() async throws {
            let catalog = try options.loadCatalog()
            if let abandon {
                let ledger = try Ledger(for: catalog)
                let lock = try ledger.lockForErasure()
                defer { withExtendedLifetime(lock) {} }
                try ledger.abandon(abandon)
                print("Erasure \(abandon) abandoned; the subject may be partly erased. Run a new erasure when the obstacle is gone.")
                return
            }
            let basis = onlyBasis.flatMap(LawfulBasis.init(rawValue:))
            let stores = try StoreSet.open(for: catalog, readOnly: dryRun, logger: options.logger)
            let abort = ProcessInfo.processInfo.environment["DSAR_TEST_ABORT_AFTER_STEP"].flatMap(Int.init)
            let ledger = try Ledger(for: catalog)
            let lock = dryRun ? nil : try ledger.lockForErasure()
            defer { withExtendedLifetime(lock) {} }
            var erasure = Erasure(catalog: catalog, stores: stores, ledger: ledger, logger: options.logger, abortAfterStep: abort)
            erasure.abortBeforeJournal = ProcessInfo.processInfo.environment["DSAR_TEST_ABORT_STAGE"] == "change"
            if execute, case let unfinished = try ledger.unfinishedRuns().count, unfinished > 0 {
                throw Failure.Message("\(unfinished) erasure(s) were interrupted and are not finished; run `dsar erase --resume` first")
            }
            if dryRun {
                let plan = try await erasure.plan(for: try subject.dataSubject(catalog), onlyBasis: basis)
                print(PlanSummary(plan: plan).text)
                if let planOut { try PlanSummary.json(plan).write(to: URL(fileURLWithPath: planOut)) }
            } else if resume {
                try await runResume(erasure)
            } else if let batch {
                try await runBatch(erasure, catalog: catalog, path: batch, basis: basis)
            } else {
                try report(try await erasure.execute(try subject.dataSubject(catalog), onlyBasis: basis))
            }
        }

        private func runResume(_ erasure: Erasure) async throws {
            let results = try await erasure.resume()
            if results.isEmpty { print("Nothing to resume: every erasure in the ledger is finished.") }
            var failures = 0
            for result in results {
                switch result {
                case .success(let outcome):
                    do { try report(outcome) } catch { failures += 1 }
                case .failure(let error):
                    FileHandle.printError(error.description)
                    failures += 1
                }
            }
            if failures > 0 { throw Failure.Message("\(failures) interrupted erasure(s) could not be finished") }
        }

        private func report(_ outcome: ErasureOutcome) throws {
            print(PlanSummary(plan: outcome.plan).outcomeText(outcome))
            if let certificate {
                try outcome.certificate.json().write(to: URL(fileURLWithPath: certificate))
                print("Certificate written to \(certificate).")
            }
            if !outcome.isComplete {
                throw Failure.Message("the erasure is incomplete: verification still finds \(outcome.residue.count) items")
            }
        }

        private func runBatch(_ erasure: Erasure, catalog: Catalog, path: String, basis: LawfulBasis?) async throws {
            let text: String
            do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
                throw Failure.Message("cannot read the batch file \(path)")
            }
            let batch = try ErasureBatch(text: text, catalog: catalog)
            let outcomePath = outcomes ?? path + ".outcomes.jsonl"
            _ = FileManager.default.createFile(atPath: outcomePath, contents: nil)
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: outcomePath))
            defer { try? handle.close() }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            var progress = BatchProgressBar(total: batch.entries.count)
            var failed = 0, incomplete = 0
            try await erasure.execute(batch, onlyBasis: basis) { outcome in
                try handle.write(contentsOf: try encoder.encode(outcome) + Data("\n".utf8))
                if outcome.status == "failed" { failed += 1 }
                if outcome.status == "incomplete" { incomplete += 1 }
                progress.advance()
            }
            progress.finish()
            print("Batch: \(batch.entries.count) subjects, \(batch.entries.count - failed - incomplete) completed, " +
                  "\(incomplete) incomplete, \(failed) failed. Outcomes: \(outcomePath)")
            if failed + incomplete > 0 { throw Failure.Message("\(failed + incomplete) subjects were not fully erased; see \(outcomePath)") }
        }
    }
}
