import Foundation

/// A batch file of data subjects: one per line, `type:value[;type:value…]`, an optional
/// header line (a first line without `:`), blank lines and `#` comments ignored.
public struct ErasureBatch: Sendable {
    public struct Entry: Sendable {
        /// 1-based line number in the file.
        public var line: Int
        public var subject: DataSubject
    }

    public var entries: [Entry]

    /// Parses and validates the whole file. The first bad line throws
    /// ``DSARError/Code/invalidBatch`` naming its line number (and never its contents).
    public init(text: String, catalog: Catalog) throws {
        var entries: [Entry] = []
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        for (offset, raw) in lines.enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            if entries.isEmpty, !line.contains(":"), offset == lines.firstIndex(where: { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }) {
                continue  // header
            }
            let parts = line.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            do {
                entries.append(Entry(line: offset + 1, subject: try DataSubject(parsing: parts, catalog: catalog)))
            } catch let error as DSARError {
                throw DSARError(.invalidBatch, "line \(offset + 1): \(error.message); nothing was erased", cause: error)
            }
        }
        guard !entries.isEmpty else { throw DSARError(.invalidBatch, "the batch file names no data subject") }
        self.entries = entries
    }
}

/// The result of one subject of a batch, as written to the outcome file (JSON Lines). It
/// names the subject by line number and request id only.
public struct BatchOutcome: Sendable, Codable {
    public var line: Int
    public var requestID: String?
    /// `completed`, `incomplete` or `failed`.
    public var status: String
    public var deleted: Int
    public var masked: Int
    public var held: Int
    public var filesDeleted: Int
    public var error: String?
}

extension Erasure {
    /// Erases every subject of `batch` one after the other. A failing subject is reported
    /// and the others go on. `report` is called after each subject (to write the outcome
    /// file and move a progress bar).
    public func execute(_ batch: ErasureBatch, onlyBasis: LawfulBasis? = nil,
                        report: (BatchOutcome) throws -> Void) async throws {
        _ = try ledger.signingKey()
        for entry in batch.entries {
            let requestID = UUID().uuidString.lowercased()
            var outcome = BatchOutcome(line: entry.line, requestID: requestID, status: "failed", deleted: 0, masked: 0, held: 0,
                                       filesDeleted: 0)
            do {
                let result = try await execute(entry.subject, onlyBasis: onlyBasis, requestID: requestID)
                let counts = result.certificate.collections
                outcome.status = result.isComplete ? "completed" : "incomplete"
                outcome.deleted = counts.map(\.deleted).reduce(0, +)
                outcome.masked = counts.map(\.masked).reduce(0, +)
                outcome.held = counts.map(\.held).reduce(0, +)
                outcome.filesDeleted = result.certificate.filesDeleted
            } catch {
                outcome.error = (error as? DSARError)?.description ?? "unexpected failure"
            }
            try report(outcome)
        }
    }
}
