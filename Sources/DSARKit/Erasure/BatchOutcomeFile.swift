import Foundation

/// A batch's outcome file: one JSON line per subject. Rewritten from the journal when a batch
/// is (re)started, so that it ends with exactly one line per subject whatever was written
/// before an interruption; then appended to as subjects finish.
struct BatchOutcomeFile {
    let url: URL
    private let handle: FileHandle

    init(path: String, recorded: [BatchOutcome]) throws {
        url = URL(fileURLWithPath: path)
        var data = Data()
        for outcome in recorded { data.append(try Self.line(outcome)) }
        do {
            try data.write(to: url)
            handle = try FileHandle(forWritingTo: url)
            try handle.seekToEnd()
        } catch {
            throw DSARError(.ledgerFailure, "the outcome file cannot be written", location: path, cause: error)
        }
    }

    func append(_ outcome: BatchOutcome) throws {
        do { try handle.write(contentsOf: try Self.line(outcome)) } catch {
            throw DSARError(.ledgerFailure, "the outcome file cannot be written", location: url.path, cause: error)
        }
    }

    func close() { try? handle.close() }

    static func line(_ outcome: BatchOutcome) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(outcome) + Data("\n".utf8)
    }
}
