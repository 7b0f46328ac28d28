import Foundation

/// A batch file of data subjects: one per line, `type:value[;type:value…]`, an optional
/// header line (a first line that is one of ``headerWords``), blank lines and `#` comments
/// ignored. Any other first line is a subject: `aa@x.com` there is an error naming line 1,
/// not a header silently skipped.
public struct ErasureBatch: Sendable {
    public struct Entry: Sendable {
        /// 1-based line number in the file.
        public var line: Int
        public var subject: DataSubject
    }

    public var entries: [Entry]

    /// The words a header line may be (compared case-insensitively).
    public static let headerWords: Set<String> = ["subject", "subjects", "identifier", "identifiers", "data subject", "data subjects"]

    /// Parses and validates the whole file. The first bad line throws
    /// ``DSARError/Code/invalidBatch`` naming its line number (and never its contents).
    public init(text: String, catalog: Catalog) throws {
        var entries: [Entry] = []
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        for (offset, raw) in lines.enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            if entries.isEmpty, Self.headerWords.contains(line.lowercased()),
               offset == lines.firstIndex(where: { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }) {
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
