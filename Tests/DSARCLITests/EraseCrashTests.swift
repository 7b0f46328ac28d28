import CallCenterExample
import Foundation
import Testing

/// Erasure killed mid-way must always finish with `--resume`: no residue, no orphaned
/// recording, no collateral, a valid certificate and an intact audit chain.
@Suite("dsar erase survives being killed")
struct EraseCrashTests {
    @Test("Killed right after each step k (1…last) and resumed, the erasure always finishes cleanly")
    func abortAfterEveryStep() throws {
        let probe = try ErasureFixture.make()
        let dry = try probe.dsar(["erase", "--subject", ErasureFixture.amel, "--dry-run"])
        let steps = Int(dry.stdout.split(separator: "\n").last { $0.hasSuffix("steps. Nothing was changed.") }?
            .split(separator: " ").first ?? "") ?? 0
        #expect(steps == 6)
        // "journal": killed after step k is marked done; "change": after its store change
        // committed but before the journal knows, so resuming does step k a second time.
        for k in 1...steps {
            for stage in ["journal", "change"] {
            let fixture = try ErasureFixture.make()
            let before = try fixture.snapshot()
            let killed = try fixture.harness(["erase", "--subject", ErasureFixture.amel, "--execute"],
                                             environment: ["DSAR_FAULT_KILL_AFTER_STEP": "\(k)", "DSAR_FAULT_KILL_STAGE": stage])
            #expect(killed.status == SIGKILL, "k=\(k) \(stage): \(killed.stderr)")
            let certificate = fixture.directory.appendingPathComponent("cert.json").path
            let resumed = try fixture.dsar(["erase", "--resume", "--certificate", certificate])
            #expect(resumed.status == 0, "k=\(k) \(stage): \(resumed.stderr)")
            #expect(!resumed.stdout.contains("re-planned"), "k=\(k): nothing changed, the journaled plan is finished")
            try fixture.expectAmelErased(before: before, certificate: certificate)
            let interrupted = try fixture.dsar(["erase", "--subject", ErasureFixture.amel, "--dry-run"])
            #expect(interrupted.stdout.contains("0 steps"), "k=\(k) \(stage): nothing is left to erase")
            }
        }
    }

    @Test("The shipped dsar reads no crash or clock settings from its environment: only the test harness does")
    func noTestHooksInDsar() throws {
        let fixture = try ErasureFixture.make()
        let before = try fixture.snapshot()
        let certificate = fixture.directory.appendingPathComponent("cert.json").path
        let hooks = ["DSAR_TEST_ABORT_AFTER_STEP": "1", "DSAR_TEST_ABORT_STAGE": "change", "DSAR_TEST_NOW": "2026-02-10T09:00:00Z",
                     "DSAR_FAULT_KILL_AFTER_STEP": "1", "DSAR_FAULT_NOW": "2026-02-10T09:00:00Z"]
        let erased = try fixture.dsar(["erase", "--subject", ErasureFixture.amel, "--execute", "--certificate", certificate],
                                      environment: hooks)
        #expect(erased.status == 0, "not killed: \(erased.stderr)")
        try fixture.expectAmelErased(before: before, certificate: certificate)
        let open = try fixture.dsar(["request", "open", "--kind", "access", "--subject", "customer_id:2", "--received", "2026-01-31"],
                                    environment: hooks)
        #expect(open.status == 0, "\(open.stderr)")
        #expect(open.stdout.contains("due 2026-02-28") && !open.stdout.contains("18 days left"), "the real clock: \(open.stdout)")
    }

    @Test("50 SIGKILLs from outside at random moments, each followed by --resume")
    func randomKills() throws {
        var random = SplitMix64(seed: UInt64(ProcessInfo.processInfo.environment["DSAR_CRASH_SEED"] ?? "") ?? 20261129)
        var outcomes: [String: Int] = [:]
        // Kill within the lifetime of an uninterrupted run, measured here (no timing is asserted).
        let lifetime = try (0..<3).map { _ in try timedRun(try ErasureFixture.make()) }.sorted()[1]
        for trial in 1...50 {
            let fixture = try ErasureFixture.make()
            let before = try fixture.snapshot()
            let process = Process()
            process.executableURL = CLI.binary
            process.arguments = ["erase", "--subject", ErasureFixture.amel, "--execute", "--catalog", fixture.catalog]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            // Mostly in the second half, where the steps run (the first is start-up and planning).
            let window = UInt64(max(lifetime * 0.8 * 1_000_000, 1000))
            usleep(UInt32(lifetime * 0.4 * 1_000_000) + UInt32(random.next() % window))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let killed = process.terminationReason == .uncaughtSignal
            let resumed = try fixture.dsar(["erase", "--resume"])
            #expect(resumed.status == 0, "trial \(trial): \(resumed.stderr)")
            if resumed.stdout.contains("Nothing to resume"), try fixture.sqlite("SELECT count(*) FROM recordings WHERE id = 1") == "1" {
                // Killed before the plan reached the ledger: nothing was touched; run it again.
                #expect(try fixture.othersRows() == before.rows)
                #expect(try fixture.dsar(["erase", "--subject", ErasureFixture.amel, "--execute"]).status == 0)
                outcomes["before the journal", default: 0] += 1
            } else {
                outcomes[killed ? (resumed.stdout.contains("Nothing to resume") ? "after the run" : "mid-run") : "not killed", default: 0] += 1
            }
            let certificate = fixture.directory.appendingPathComponent("cert.json")
            let stored = try ledgerCertificates(fixture)
            #expect(stored.count == 1, "trial \(trial)")
            try Data((stored.first ?? "").utf8).write(to: certificate)
            try fixture.expectAmelErased(before: before, certificate: certificate.path)
        }
        print("random kills:", outcomes.sorted { $0.key < $1.key })
    }

    /// Seconds from launch to exit of one uninterrupted erasure.
    private func timedRun(_ fixture: ErasureFixture) throws -> Double {
        let process = Process()
        process.executableURL = CLI.binary
        process.arguments = ["erase", "--subject", ErasureFixture.amel, "--execute", "--catalog", fixture.catalog]
        process.standardOutput = FileHandle.nullDevice
        let start = Date()
        try process.run()
        process.waitUntilExit()
        return Date().timeIntervalSince(start)
    }

    private func ledgerCertificates(_ fixture: ErasureFixture) throws -> [String] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = ["-json", fixture.ledger.path, "SELECT certificate FROM runs WHERE status = 'completed'"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let rows = (try? JSONSerialization.jsonObject(with: data) as? [[String: Any]]) ?? []
        return rows.compactMap { $0["certificate"] as? String }
    }
}
