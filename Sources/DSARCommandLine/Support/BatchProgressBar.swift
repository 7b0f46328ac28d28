import Foundation

/// Subjects done / total, rate and ETA on stderr, redrawn in place; silent unless stderr is
/// a terminal.
struct BatchProgressBar {
    let total: Int
    private(set) var done = 0
    private let start = Date()
    private let enabled = isatty(FileHandle.standardError.fileDescriptor) != 0

    init(total: Int) { self.total = total }

    mutating func advance() {
        done += 1
        guard enabled else { return }
        let elapsed = max(Date().timeIntervalSince(start), 0.001)
        let rate = Double(done) / elapsed
        let eta = rate > 0 ? Int(Double(total - done) / rate) : 0
        let width = 30
        let filled = total > 0 ? width * done / total : width
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        FileHandle.standardError.write(Data(String(format: "\r[%@] %d/%d  %.1f/s  ETA %dm%02ds ", bar, done, total, rate,
                                                   eta / 60, eta % 60).utf8))
    }

    func finish() {
        if enabled { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
