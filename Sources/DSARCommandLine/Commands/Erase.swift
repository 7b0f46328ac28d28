import ArgumentParser
import DSARKit
import DSARKitPostgres
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
            --resume finishes runs that were interrupted. --batch erases one subject per line. \
            With a shared ledger (ledger: postgres://… in the catalog), --enqueue puts the subjects \
            (--batch or --subject) on its queue and `dsar worker` erases them; --subject … --execute \
            queues one subject and erases it at once, as a worker would.
            """
        )

        @OptionGroup var options: CatalogOptions
        @OptionGroup var subject: SubjectOptions
        @OptionGroup var scope: ScopeOptions

        @Flag(help: "Show the plan; change nothing.") var dryRun = false
        @Flag(help: "Execute the erasure.") var execute = false
        @Flag(help: "Finish every interrupted erasure recorded in the ledger.") var resume = false
        @Flag(help: "Put the subjects on the shared ledger's queue for `dsar worker` (needs ledger: postgres://…).")
        var enqueue = false
        @Option(help: ArgumentHelp("Give up an interrupted erasure that cannot be finished (recorded in the audit log).",
                                   valueName: "request-id")) var abandon: String?
        @Option(help: ArgumentHelp("Write the plan as JSON (with --dry-run; with --batch, one JSON line per subject).",
                                   valueName: "path")) var planOut: String?
        @Flag(help: "Print the plan (with --batch: the batch preview) as JSON (with --dry-run).") var json = false
        @Option(help: ArgumentHelp("Erase only rows whose lawful basis is this one (consent: withdrawal of consent).",
                                   valueName: "basis")) var onlyBasis: String?
        @Option(help: ArgumentHelp("Write the signed certificate here.", valueName: "path")) var certificate: String?
        @Option(help: ArgumentHelp("A file of subjects, one per line: type:value[;type:value…].", valueName: "path"))
        var batch: String?
        @Option(help: ArgumentHelp("Where a batch writes one JSON line per subject.", valueName: "path"))
        var outcomes: String?
        @Option(help: ArgumentHelp("How many subjects a batch (or --resume of one) erases together: one ledger write and one store " +
                                   "transaction per collection for the group (1: one subject after the other).", valueName: "n"))
        var groupSize: Int = Erasure.defaultGroupSize

        func validate() throws {
            let modes = [dryRun, execute, resume, enqueue, abandon != nil].filter { $0 }.count
            guard modes == 1 else { throw ValidationError("choose one of --dry-run, --execute, --resume, --enqueue or --abandon") }
            if abandon != nil { return }
            if resume, !subject.subject.isEmpty || batch != nil { throw ValidationError("--resume takes no subject") }
            if !resume, subject.subject.isEmpty == (batch == nil) {
                throw ValidationError("name the person with --subject type:value, or give --batch FILE")
            }
            if batch != nil, !execute, !enqueue, !dryRun { throw ValidationError("--batch needs --dry-run, --execute or --enqueue") }
            if json, !dryRun { throw ValidationError("--json applies to --dry-run") }
            if groupSize < 1 { throw ValidationError("--group-size must be at least 1") }
            if scope.isGiven, batch != nil || enqueue || resume {
                throw ValidationError("--only, --record and --between apply to one subject's --dry-run or --execute")
            }
            if let onlyBasis, LawfulBasis(rawValue: onlyBasis) == nil {
                throw ValidationError("--only-basis must be one of " + LawfulBasis.allCases.map(\.rawValue).joined(separator: ", "))
            }
        }

        func run() async throws {
            let catalog = try options.loadCatalog()
            let requestScope = try scope.requestScope(catalog)
            if catalog.hasPostgresLedger {
                if requestScope != nil {
                    throw Failure.Message("--only, --record and --between are not available with a shared ledger yet; nothing was touched")
                }
                return try await runShared(catalog)
            }
            if enqueue { throw Failure.Message("--enqueue needs a shared ledger: set `ledger: postgres://…` in the catalog") }
            let context = CommandContext.current
            if let abandon {
                try await Ledger(for: catalog).abandonExclusively(RunID(abandon), at: context.now())
                print("Erasure \(abandon) abandoned; the subject may be partly erased. Run a new erasure when the obstacle is gone.")
                return
            }
            let basis = onlyBasis.flatMap(LawfulBasis.init(rawValue:))
            let stores = try options.openStores(catalog, readOnly: dryRun)
            let ledger = try Ledger(for: catalog)
            // Erasure takes the ledger's lock and refuses while an interrupted run is unfinished.
            let erasure = Erasure(catalog: catalog, stores: stores, ledger: context.erasureLedger(ledger),
                                  now: context.now, logger: options.logger)
            if dryRun, let batch {
                try await previewBatch(erasure, catalog: catalog, path: batch, basis: basis)
            } else if dryRun {
                let plan = try await erasure.plan(for: try subject.dataSubject(catalog), onlyBasis: basis, scope: requestScope)
                print(json ? try JSONOutput.text(plan) : PlanSummary(plan: plan).text)
                if let planOut { try PrivateFile.write(PlanSummary.json(plan), to: URL(fileURLWithPath: planOut)) }
            } else if resume {
                try await runResume(erasure, journal: try BatchJournal(ledger: ledger))
            } else if let batch {
                try await runBatch(erasure, journal: try BatchJournal(ledger: ledger), catalog: catalog, path: batch, basis: basis)
            } else {
                try report(try await erasure.execute(try subject.dataSubject(catalog), onlyBasis: basis, scope: requestScope))
            }
        }

        private func runResume(_ erasure: Erasure, journal: BatchJournal) async throws {
            let (results, batches) = try await erasure.resume(batches: journal, groupSize: groupSize) { _ in }
            if results.isEmpty, batches.isEmpty { print("Nothing to resume: every erasure in the ledger is finished.") }
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
            var unfinished = 0
            for summary in batches {
                print(Self.text(summary))
                unfinished += summary.failed + summary.incomplete + summary.neverStarted
                if summary.neverStarted > 0 { FileHandle.printError(Self.neverStartedText(summary)) }
            }
            if failures > 0 { throw Failure.Message("\(failures) interrupted erasure(s) could not be finished") }
            if unfinished > 0 { throw Failure.Message("\(unfinished) subjects of interrupted batches were not fully erased; see their outcome files") }
        }

        private static func text(_ summary: BatchJob.Summary) -> String {
            "Batch \(summary.jobID): \(summary.total) subjects, \(summary.completed) completed" +
                (summary.alreadyErased > 0 ? " (\(summary.alreadyErased) already erased by an earlier run of this file)" : "") +
                ", \(summary.incomplete) incomplete, \(summary.failed) failed" +
                (summary.neverStarted > 0 ? ", \(summary.neverStarted) never started" : "") + ". Outcomes: \(summary.outcomesPath)"
        }

        private static func neverStartedText(_ summary: BatchJob.Summary) -> String {
            "\(summary.neverStarted) subjects of batch \(summary.jobID) were never started: their identifiers cannot be recovered " +
                "from the ledger. Run the same batch file again (`dsar erase --batch \(summary.filePath) --execute`): " +
                "the subjects it already erased are skipped."
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

        private func runBatch(_ erasure: Erasure, journal: BatchJournal, catalog: Catalog, path: String,
                              basis: LawfulBasis?) async throws {
            let data: Data
            do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
                throw Failure.Message("cannot read the batch file \(path)")
            }
            guard let text = String(data: data, encoding: .utf8) else { throw Failure.Message("cannot read the batch file \(path)") }
            let batch = try ErasureBatch(text: text, catalog: catalog)
            // Absolute, so that `dsar erase --resume` run from elsewhere completes the same file.
            let outcomePath = URL(fileURLWithPath: outcomes ?? path + ".outcomes.jsonl").path
            var progress = BatchProgressBar(total: batch.entries.count)
            let summary = try await erasure.execute(batch, journal: journal, fileDigest: BatchJournal.fileDigest(data),
                                                    filePath: URL(fileURLWithPath: path).path, outcomesPath: outcomePath,
                                                    onlyBasis: basis, groupSize: groupSize) { _ in progress.advance() }
            progress.finish()
            print(Self.text(summary))
            if summary.neverStarted > 0 { FileHandle.printError(Self.neverStartedText(summary)) }
            let unfinished = summary.failed + summary.incomplete + summary.neverStarted
            if unfinished > 0 { throw Failure.Message("\(unfinished) subjects were not fully erased; see \(outcomePath)") }
        }

        /// The shared ledger: plans, enqueues and abandons; workers execute and resume.
        private func runShared(_ catalog: Catalog) async throws {
            let ledger = try PostgresLedger(catalog: catalog, environment: ProcessInfo.processInfo.environment, logger: options.logger)
            defer { ledger.close() }
            if let abandon {
                try await ledger.abandonExclusively(RunID(abandon), at: Date())
                print("Erasure \(abandon) abandoned; the subject may be partly erased. Run a new erasure when the obstacle is gone.")
                return
            }
            if resume || (execute && batch != nil) {
                throw Failure.Message("this catalog's ledger is shared (PostgreSQL): put subjects on its queue with --enqueue " +
                                      "(--subject or --batch) and run `dsar worker`, which also resumes interrupted erasures")
            }
            let basis = onlyBasis.flatMap(LawfulBasis.init(rawValue:))
            if execute {
                // Queued, then taken at once by this process as a worker would: if it dies, any worker resumes it.
                _ = try subject.dataSubject(catalog)
                _ = try ledger.signingKey()
                guard let id = try await ledger.enqueue([(subject.subject, 0)], onlyBasis: basis).first else { return }
                let stores = try options.openStores(catalog, readOnly: false)
                let context = CommandContext.current
                let erasure = Erasure(catalog: catalog, stores: stores, ledger: context.erasureLedger(ledger), now: context.now,
                                      logger: options.logger)
                guard let outcome = try await ErasureWorker(erasure: erasure, ledger: ledger, logger: options.logger).process(requestID: id) else {
                    print("Queued as request \(id); a worker took it first.")
                    return
                }
                print("Erasure \(id): \(outcome.status); \(outcome.deleted) rows deleted, \(outcome.masked) masked, \(outcome.held) held, " +
                      "\(outcome.filesDeleted) files deleted.")
                if let certificate, let json = try await ledger.certificate(of: RunID(id)) {
                    try Data(json.utf8).write(to: URL(fileURLWithPath: certificate))
                    print("Certificate written to \(certificate).")
                }
                if let error = outcome.error { throw Failure.Message("the erasure failed and stays on the queue as failed: \(error)") }
                if outcome.status != "completed" { throw Failure.Message("the erasure is incomplete") }
                return
            }
            if dryRun {
                let erasure = Erasure(catalog: catalog, stores: try options.openStores(catalog), ledger: ledger, logger: options.logger)
                if let batch { return try await previewBatch(erasure, catalog: catalog, path: batch, basis: basis) }
                let plan = try await erasure.plan(for: try subject.dataSubject(catalog), onlyBasis: basis)
                print(json ? try JSONOutput.text(plan) : PlanSummary(plan: plan).text)
                if let planOut { try PrivateFile.write(PlanSummary.json(plan), to: URL(fileURLWithPath: planOut)) }
                return
            }
            var subjects: [(identifiers: [String], line: Int)] = []
            if let batch {
                let text: String
                do { text = try String(contentsOfFile: batch, encoding: .utf8) } catch {
                    throw Failure.Message("cannot read the batch file \(batch)")
                }
                // Queued as the batch reader parsed them (normalised `type:value`), never re-read from the text.
                subjects = try ErasureBatch(text: text, catalog: catalog).entries.map {
                    ($0.subject.identifiers.map(\.description), $0.line)
                }
            } else {
                subjects = [(try subject.dataSubject(catalog).identifiers.map(\.description), 0)]
            }
            _ = try ledger.signingKey()
            let ids = try await ledger.enqueue(subjects, onlyBasis: basis)
            if batch == nil, let id = ids.first { print("Queued as request \(id).") }
            print("Queued \(ids.count) subject(s) on the shared ledger; run `dsar worker` to erase them.")
        }
    }
}
