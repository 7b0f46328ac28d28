import DSARKit
import Foundation

/// What the entry point gives every command: the clock, and a wrapper around the ledger an
/// erasure writes to. The shipped `dsar` runs with the defaults (the system clock, the ledger
/// as it is); only the test-only `dsar-fault-harness` sets them, from its own settings. No
/// command reads test settings from the environment.
package struct CommandContext: Sendable {
    /// The clock of request deadlines and erasure runs.
    package var now: @Sendable () -> Date
    /// Wraps the ledger of every ``Erasure`` a command makes (the harness injects crashes here).
    package var erasureLedger: @Sendable (any ErasureLedger) -> any ErasureLedger

    package init(now: @escaping @Sendable () -> Date = { Date() },
                 erasureLedger: @escaping @Sendable (any ErasureLedger) -> any ErasureLedger = { $0 }) {
        self.now = now
        self.erasureLedger = erasureLedger
    }

    /// The context of the running command.
    @TaskLocal static var current = CommandContext()

    /// Parses the process's arguments and runs the command with this context, then exits.
    package func run() async {
        await Self.$current.withValue(self) {
            await DSAR.main()
        }
    }
}
