import DSARKit
import Foundation
import Synchronization

/// A one-line progress bar on stderr (bytes copied / total, rate), only when stderr is a
/// terminal and the package is large enough to be worth one.
final class ProgressBar: Sendable {
    static let threshold: Int64 = 64 << 20

    private struct State {
        var lastDraw: ContinuousClock.Instant?
        var drawn = false
    }
    private let started = ContinuousClock.now
    private let state = Mutex(State())

    static func forStandardError(totalBytes: Int64) -> ProgressBar? {
        guard isatty(2) == 1, totalBytes >= threshold else { return nil }
        return ProgressBar()
    }

    func update(_ progress: PackageProgress) {
        let now = ContinuousClock.now
        let line: String? = state.withLock { state in
            if let last = state.lastDraw, now - last < .milliseconds(200), progress.bytesDone < progress.bytesTotal { return nil }
            state.lastDraw = now
            state.drawn = true
            return Self.line(progress, elapsed: now - started)
        }
        if let line { FileHandle.standardError.write(Data(("\r" + line).utf8)) }
    }

    func finish() {
        if state.withLock({ $0.drawn }) { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    static func line(_ progress: PackageProgress, elapsed: Duration) -> String {
        let fraction = progress.bytesTotal > 0 ? Double(progress.bytesDone) / Double(progress.bytesTotal) : 1
        let width = 30
        let filled = min(width, Int(fraction * Double(width)))
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let rate = seconds > 0 ? Double(progress.bytesDone) / seconds / 1_000_000 : 0
        return "[" + String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled) + "] " +
            String(format: "%3.0f%%  %.1f / %.1f MB  %.0f MB/s ", fraction * 100,
                   Double(progress.bytesDone) / 1_000_000, Double(progress.bytesTotal) / 1_000_000, rate)
    }
}
