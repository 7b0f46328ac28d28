/// A text file beside each file of a pattern collection that says what the file is: Asterisk
/// writes `msg0000.txt` next to the voicemail `msg0000.wav`, with `key=value` lines such as
/// `callerid="Amel" <+21698123456>`, `origtime=1773651600`.
///
/// `sidecar: { file: "msg{message}.txt", fields: [callerid, origtime] }` on a pattern
/// collection adds the named fields to each record as columns (NULL when the sidecar or the
/// line is missing), so identifiers can be read from them (`callerid: { type: phone,
/// extract: "<([^>]+)>" }`). The sidecar is one of the record's files: packaged with it, and
/// removed with it (after the file it describes).
public struct FileSidecar: Sendable, Hashable, CustomStringConvertible {
    /// The sidecar's file name, with placeholders of the collection's pattern (`msg{message}.txt`).
    public let file: String
    /// The `key=value` keys read from it, in order; each becomes a column of the record.
    public let fields: [String]
    private let parts: [FilePattern.Part]

    /// Fails on a name with a folder in it (a sidecar sits beside its file), an unclosed or
    /// empty `{}`, or no field.
    public init(file: String, fields: [String]) throws(FilePattern.PatternError) {
        guard !file.isEmpty, !file.contains("/"), file != ".", file != ".." else {
            throw FilePattern.PatternError("a sidecar sits beside its file: give a file name such as msg{message}.txt, without folders")
        }
        var parts: [FilePattern.Part] = []
        var rest = Substring(file)
        while let open = rest.firstIndex(of: "{") {
            if open > rest.startIndex { parts.append(.literal(String(rest[..<open]))) }
            guard let close = rest[open...].firstIndex(of: "}") else { throw FilePattern.PatternError("unclosed '{'") }
            let name = String(rest[rest.index(after: open)..<close])
            guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
                throw FilePattern.PatternError("placeholder names are letters, digits and '_'")
            }
            parts.append(.placeholder(name))
            rest = rest[rest.index(after: close)...]
        }
        if !rest.isEmpty { parts.append(.literal(String(rest))) }
        self.file = file
        self.fields = fields
        self.parts = parts
    }

    public var description: String { file }

    /// The placeholders the file name uses.
    public var placeholders: [String] {
        parts.compactMap { if case .placeholder(let name) = $0 { name } else { nil } }
    }

    /// The sidecar's path for the file at `path` (relative to the store root) whose pattern
    /// placeholders captured `captures`.
    public func path(beside path: String, captures: [String: String]) -> String {
        var name = ""
        for part in parts {
            switch part {
            case .literal(let text): name += text
            case .placeholder(let placeholder): name += captures[placeholder] ?? ""
            }
        }
        guard let slash = path.lastIndex(of: "/") else { return name }
        return String(path[...slash]) + name
    }

    /// The pattern sidecars of `pattern`'s files match (`voicemail/{context}/{mailbox}/{folder}/msg{message}.txt`),
    /// to find a sidecar whose file is gone; `nil` when it cannot be written as a pattern.
    public func pattern(beside pattern: FilePattern) -> FilePattern? {
        let folder = pattern.text.lastIndex(of: "/").map { String(pattern.text[...$0]) } ?? ""
        return try? FilePattern(folder + file)
    }

    /// The fields' values in a sidecar's text: `key=value` lines (spaces around either trimmed,
    /// the first line of a key wins); blank lines, `;` and `#` comments and `[section]` lines
    /// are skipped.
    public func values(in text: String) -> [String: String] {
        let wanted = Set(fields)
        var values: [String: String] = [:]
        for line in text.split(whereSeparator: \.isNewline) {
            let trimmed = String(line).trimmingWhitespace()
            guard !trimmed.isEmpty, !trimmed.hasPrefix(";"), !trimmed.hasPrefix("#"), !trimmed.hasPrefix("["),
                  let equals = trimmed.firstIndex(of: "=") else { continue }
            let key = String(trimmed[..<equals]).trimmingWhitespace()
            guard wanted.contains(key), values[key] == nil else { continue }
            values[key] = String(trimmed[trimmed.index(after: equals)...]).trimmingWhitespace()
        }
        return values
    }
}
