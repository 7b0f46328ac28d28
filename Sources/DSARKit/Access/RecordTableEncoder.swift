import Foundation

/// Writes a collection's records as JSON (an array of objects, columns in the store's order)
/// and as CSV (RFC 4180: a header line, CRLF line ends, fields quoted when they hold a comma,
/// a quote or a line break, quotes doubled; NULL is an empty field). UTF-8, no byte order mark.
///
/// JSON values keep their type, as the store describes its columns (``ColumnValueKind``): NULL
/// is `null`, integers and reals are numbers, a boolean column's values are `true`/`false`, a
/// JSON column's documents are JSON; see ``jsonValue(_:kind:)``. CSV is text.
enum RecordTableEncoder {
    static func json(_ records: [Record], kinds: [String: ColumnValueKind] = [:]) -> Data {
        var out = jsonStart
        for (index, record) in records.enumerated() { out += jsonElement(record, first: index == 0, kinds: kinds) }
        return Data((out + jsonEnd(empty: records.isEmpty)).utf8)
    }

    static func csv(_ records: [Record], columns: [String]) -> Data {
        var out = csvHeader(columns)
        for record in records { out += csvLine(record, columns: columns) }
        return Data(out.utf8)
    }

    // The pieces, for writing a table a batch of records at a time.

    static let jsonStart = "[\n"

    /// One object of the array, preceded by the separator unless it is the first.
    static func jsonElement(_ record: Record, first: Bool, kinds: [String: ColumnValueKind] = [:]) -> String {
        (first ? "  {" : ",\n  {") + zip(record.columns, record.values).map { "\(jsonString($0)): \(jsonValue($1, kind: kinds[$0]))" }
            .joined(separator: ", ") + "}"
    }

    static func jsonEnd(empty: Bool) -> String { empty ? "]\n" : "\n]\n" }

    static func csvHeader(_ columns: [String]) -> String { columns.map(csvField).joined(separator: ",") + "\r\n" }

    static func csvLine(_ record: Record, columns: [String]) -> String {
        columns.map { csvField(record[$0].map(csvText) ?? "") }.joined(separator: ",") + "\r\n"
    }

    static func jsonValue(_ value: Value) -> String {
        switch value {
        case .null: return "null"
        case .integer(let int): return String(int)
        case .real(let double): return double.isFinite ? "\(double)" : "null"
        case .text(let text): return jsonString(text)
        case .blob(let data): return jsonString(data.base64EncodedString())
        }
    }

    /// A value of a column of `kind`: a boolean column's 1/0 or `true`/`false` as `true`/`false`;
    /// a number column's numeric text as a number when a double reads it back exactly (so
    /// every JSON reader gets the same value), otherwise as a string of its exact digits
    /// (`numeric(20,4)` `1234567890123456.1234`); a JSON column's valid JSON as itself,
    /// whitespace outside strings removed. Anything else as ``jsonValue(_:)`` writes it.
    static func jsonValue(_ value: Value, kind: ColumnValueKind?) -> String {
        switch (value, kind) {
        case (.integer(let int), .boolean?) where int == 0 || int == 1: return int == 1 ? "true" : "false"
        case (.text(let text), .boolean?):
            switch text.lowercased() {
            case "true": return "true"
            case "false": return "false"
            default: return jsonString(text)
            }
        case (.text(let text), .number?): return ExactNumber.json(text) ?? jsonString(text)
        case (.text(let text), .json?): return JSONText.compacted(text) ?? jsonString(text)
        default: return jsonValue(value)
        }
    }

    static func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029:
                out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    static func csvText(_ value: Value) -> String {
        switch value {
        case .null: return ""
        case .blob(let data): return data.base64EncodedString()
        default: return value.textValue ?? ""
        }
    }

    static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
