import DSARCommandLine
import DSARKit
import DSARKitTesting
import Foundation

/// `dsar-fault-harness`: the very same commands as `dsar`, for crash and clock tests only
/// (never a product, never shipped). It reads its settings from its own environment:
///
/// - `DSAR_FAULT_KILL_AFTER_STEP=n`: SIGKILL itself once `n` erasure steps committed (counted
///   across every subject this process erases);
/// - `DSAR_FAULT_KILL_STAGE=change`: … right after the `n`th step's store change, before the
///   journal marks it done (default `journal`: right after the journal mark);
/// - `DSAR_FAULT_NOW=2026-02-10T09:00:00Z`: the clock of deadlines and runs.
@main
enum FaultHarness {
    static func main() async {
        let environment = ProcessInfo.processInfo.environment
        var context = CommandContext()
        if let text = environment["DSAR_FAULT_NOW"] {
            guard let date = try? Date(text, strategy: .iso8601) else {
                FileHandle.standardError.write(Data("DSAR_FAULT_NOW is not an ISO 8601 time\n".utf8))
                exit(2)
            }
            context.now = { date }
        }
        if let text = environment["DSAR_FAULT_KILL_AFTER_STEP"] {
            guard let steps = Int(text), steps > 0 else {
                FileHandle.standardError.write(Data("DSAR_FAULT_KILL_AFTER_STEP is not a positive number\n".utf8))
                exit(2)
            }
            let moment: FaultInjectingLedger.Moment = environment["DSAR_FAULT_KILL_STAGE"] == "change" ? .beforeJournal : .afterJournal
            context.erasureLedger = { ledger in
                FaultInjectingLedger(wrapping: ledger, afterStep: steps, at: moment) { kill(getpid(), SIGKILL) }
            }
        }
        await context.run()
    }
}
