import Foundation
import Synchronization

/// The steps of a run done / total on stderr, redrawn in place, as a batch's progress bar draws
/// subjects; silent unless stderr is a terminal.
final class StepProgressBar: Sendable {
    private let bar = Mutex<BatchProgressBar?>(nil)

    func advance(_ done: Int, of total: Int) {
        bar.withLock { bar in
            if bar == nil { bar = BatchProgressBar(total: total) }
            while (bar?.done ?? total) < done { bar?.advance() }
        }
    }

    func finish() {
        bar.withLock { $0?.finish() }
    }
}
