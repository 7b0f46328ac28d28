import Foundation
import Testing

/// `dsar retention sweep` on the call-centre example, at a fixed clock (the test harness's),
/// killed mid-way and resumed by run id.
@Suite("dsar retention sweep")
struct RetentionSweepCommandTests {
    /// Calls kept 6 months are past their rule before 2026-04-01.
    static let clock = ["DSAR_FAULT_NOW": "2026-10-01T12:00:00Z"]

    /// Every row of the tables a sweep may change, quoted, and every file with its bytes.
    private func state(_ fixture: ErasureFixture) throws -> (rows: String, files: [String: Data]) {
        (try fixture.sqlite("""
            SELECT 'customers', * FROM customers ORDER BY id; SELECT 'consents', * FROM recording_consents ORDER BY id;
            SELECT 'calls', * FROM calls ORDER BY id; SELECT 'recordings', * FROM recordings ORDER BY id;
            """), try fixture.allFiles())
    }

    private func ledgerQuery(_ fixture: ErasureFixture, _ sql: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = [fixture.ledger.path, sql]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test("Dry run prints counts per collection and the held rows, never row contents; changes nothing")
    func dryRun() throws {
        let fixture = try ErasureFixture.make()
        let before = try state(fixture)
        let personal = try fixture.sqlite("SELECT email FROM customers WHERE email IS NOT NULL; SELECT caller_number FROM calls WHERE caller_number IS NOT NULL")
            .split(separator: "\n").map { String($0.dropFirst().dropLast()) }
        let dry = try fixture.harness(["retention", "sweep", "--dry-run"], environment: Self.clock)
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stdout.contains("calls: kept 6 months after started_at;") && dry.stdout.contains("before 2026-04-01"), "\(dry.stdout)")
        #expect(dry.stdout.contains(": Investment-order call kept 5 years (MiFID II Art. 16(7))") && dry.stdout.contains("  held "), "\(dry.stdout)")
        #expect(dry.stdout.contains("Nothing was changed."))
        for value in personal where value.count > 4 { #expect(!dry.stdout.contains(value) && !dry.stderr.contains(value)) }
        #expect(try state(fixture) == before)
    }

    @Test("Killed after a step, a sweep is refused until --resume RUN finishes it to the end state of an uninterrupted one")
    func killedAndResumed() throws {
        let fixture = try ErasureFixture.make()
        let reference = try ErasureFixture.make()
        let killed = try fixture.harness(["retention", "sweep", "--execute"],
                                         environment: Self.clock.merging(["DSAR_FAULT_KILL_AFTER_STEP": "2"]) { a, _ in a })
        #expect(killed.status == SIGKILL, "\(killed.stderr)")
        let run = try ledgerQuery(fixture, "SELECT id FROM runs WHERE status <> 'completed'")
        #expect(run.hasPrefix("sweep-"), "\(run)")

        let refused = try fixture.harness(["retention", "sweep", "--execute"], environment: Self.clock)
        #expect(refused.status != 0 && refused.stderr.contains("resume"), "\(refused.stderr)")

        let certificate = fixture.directory.appendingPathComponent("sweep.json").path
        let resumed = try fixture.harness(["retention", "sweep", "--resume", run, "--certificate", certificate], environment: Self.clock)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stdout.contains("complete"), "\(resumed.stdout)")
        let verified = try fixture.dsar(["certificate", "verify", certificate])
        #expect(verified.status == 0, "\(verified.stderr)")

        let uninterrupted = try reference.harness(["retention", "sweep", "--execute"], environment: Self.clock)
        #expect(uninterrupted.status == 0, "\(uninterrupted.stderr)")
        let (rows, files) = try state(fixture)
        let expected = try state(reference)
        #expect(rows == expected.rows)
        #expect(files == expected.files)
        let again = try fixture.harness(["retention", "sweep", "--dry-run"], environment: Self.clock)
        #expect(again.stdout.contains("\n0 steps."), "a second sweep plans nothing: \(again.stdout)")
    }
}
