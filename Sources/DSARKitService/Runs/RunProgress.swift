import Synchronization

/// Where a run stands, written by the running task (a package's byte counter, an erasure's
/// steps) as often as it likes, and read by the queue when a page asks.
public final class RunProgress: Sendable {
    private let state = Mutex<(phase: String, done: Int64, total: Int64)>(("queued", 0, 0))

    public init() {}

    /// Records the phase and the counts so far.
    public func report(_ phase: String, done: Int64, total: Int64) {
        state.withLock { $0 = (phase, done, total) }
    }

    var current: (phase: String, done: Int64, total: Int64) { state.withLock { $0 } }
}
