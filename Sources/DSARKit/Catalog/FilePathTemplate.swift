/// How a row names its file when no single column holds the whole path: literal text and
/// `{column}` parts, a part optionally formatted as a date (`{calldate:yyyy}/{calldate:MM}`) or
/// sliced (`{key:0:2}/{key:2:4}/{key}`, Rails' Disk service layout).
///
/// Asterisk keeps `monitor/{calldate:yyyy}/{calldate:MM}/{calldate:dd}/{recordingfile}`.
/// A row whose column is NULL or empty has no file (a call that was not recorded).
public struct FilePathTemplate: Sendable, Hashable, CustomStringConvertible {
    public enum Part: Sendable, Hashable {
        case literal(String)
        /// The whole column value.
        case column(String)
        /// The column read as a date or timestamp, written with `yyyy`, `MM`, `dd`, `HH`, `mm`, `ss`.
        case date(String, format: String)
        /// Characters `from..<to` of the column value.
        case slice(String, from: Int, to: Int)

        var column: String? {
            switch self {
            case .literal: nil
            case .column(let name), .date(let name, _), .slice(let name, _, _): name
            }
        }
    }

    public let text: String
    public let parts: [Part]

    public var description: String { text }

    /// The columns the path is built from, in order, once each.
    public var columns: [String] {
        var seen = Set<String>()
        return parts.compactMap(\.column).filter { seen.insert($0).inserted }
    }

    public init(_ text: String) throws(FilePattern.PatternError) {
        var parts: [Part] = []
        var literal = ""
        var index = text.startIndex
        while index < text.endIndex {
            guard text[index] == "{" else {
                literal.append(text[index])
                index = text.index(after: index)
                continue
            }
            guard let close = text[index...].firstIndex(of: "}") else { throw .init("unclosed '{'") }
            let inside = text[text.index(after: index)..<close].split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            index = text.index(after: close)
            guard let name = inside.first, !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
                throw .init("'{…}' must start with a column name (letters, digits and '_')")
            }
            if !literal.isEmpty { parts.append(.literal(literal)); literal = "" }
            switch inside.count {
            case 1:
                parts.append(.column(name))
            case 2:
                let format = inside[1]
                guard Self.isDateFormat(format) else {
                    throw .init("'{\(name):\(format)}': a format is made of yyyy, MM, dd, HH, mm, ss and separators")
                }
                parts.append(.date(name, format: format))
            case 3:
                guard let from = Int(inside[1]), let to = Int(inside[2]), from >= 0, to > from else {
                    throw .init("'{\(name):\(inside[1]):\(inside[2])}': a slice is {column:from:to} with 0 ≤ from < to")
                }
                parts.append(.slice(name, from: from, to: to))
            default:
                throw .init("'{\(inside.joined(separator: ":"))}' has too many ':'")
            }
        }
        if !literal.isEmpty { parts.append(.literal(literal)) }
        if text.hasPrefix("/") { throw .init("a path is relative to the store root; remove the leading '/'") }
        if text.split(separator: "/").contains("..") { throw .init("'..' is not allowed in a path") }
        guard parts.contains(where: { $0.column != nil }) else { throw .init("a path needs at least one {column}") }
        self.text = text
        self.parts = parts
    }

    /// The path of `record`'s file, or `nil` when a column it needs is NULL or empty (no file)
    /// or a date column does not hold a date.
    public func path(for record: Record) -> String? {
        var path = ""
        for part in parts {
            switch part {
            case .literal(let text):
                path += text
            case .column(let name):
                guard let value = Self.text(of: name, in: record) else { return nil }
                path += value
            case .date(let name, let format):
                guard let value = Self.text(of: name, in: record), let stamp = DateStamp(value) else { return nil }
                path += stamp.formatted(format)
            case .slice(let name, let from, let to):
                guard let value = Self.text(of: name, in: record), value.count >= to else { return nil }
                path += value.dropFirst(from).prefix(to - from)
            }
        }
        return path
    }

    private static func text(of column: String, in record: Record) -> String? {
        guard let text = record[column]?.textValue, !text.allSatisfy(\.isWhitespace) else { return nil }
        return text
    }

    static let dateTokens = ["yyyy", "MM", "dd", "HH", "mm", "ss"]

    private static func isDateFormat(_ format: String) -> Bool {
        var rest = Substring(format)
        var sawToken = false
        while !rest.isEmpty {
            if let token = dateTokens.first(where: { rest.hasPrefix($0) }) {
                rest = rest.dropFirst(token.count)
                sawToken = true
            } else if let first = rest.first, !first.isLetter, !first.isNumber, first != "/" {
                rest = rest.dropFirst()
            } else {
                return false
            }
        }
        return sawToken
    }
}

/// The calendar fields of a date or timestamp as a database prints it (`2026-03-15`,
/// `2026-03-15 10:22:01`, `2026-03-15T10:22:01.5+01:00`), read as written: no time-zone
/// conversion, since recording paths use the same wall-clock date as the column.
struct DateStamp {
    let fields: [String: String]

    init?(_ text: String) {
        let digits = Array(text.trimmingWhitespace().utf8)
        func number(_ at: Int, _ count: Int) -> String? {
            guard at + count <= digits.count else { return nil }
            let slice = digits[at..<(at + count)]
            guard slice.allSatisfy({ (48...57).contains($0) }) else { return nil }
            return String(decoding: slice, as: UTF8.self)
        }
        guard let year = number(0, 4), digits.count >= 10, digits[4] == UInt8(ascii: "-"), digits[7] == UInt8(ascii: "-"),
              let month = number(5, 2), let day = number(8, 2) else { return nil }
        var fields = ["yyyy": year, "MM": month, "dd": day, "HH": "00", "mm": "00", "ss": "00"]
        if digits.count >= 16, digits[10] == UInt8(ascii: " ") || digits[10] == UInt8(ascii: "T"),
           let hour = number(11, 2), digits[13] == UInt8(ascii: ":"), let minute = number(14, 2) {
            fields["HH"] = hour
            fields["mm"] = minute
            if digits.count >= 19, digits[16] == UInt8(ascii: ":"), let second = number(17, 2) { fields["ss"] = second }
        }
        self.fields = fields
    }

    func formatted(_ format: String) -> String {
        var output = ""
        var rest = Substring(format)
        while let first = rest.first {
            if let token = FilePathTemplate.dateTokens.first(where: { rest.hasPrefix($0) }) {
                output += fields[token] ?? ""
                rest = rest.dropFirst(token.count)
            } else {
                output.append(first)
                rest = rest.dropFirst()
            }
        }
        return output
    }
}
