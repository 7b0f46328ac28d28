import Foundation

/// Reads one value out of a JSON column, the way identifiers inside JSON are compared.
public enum JSONPathValue {
    /// The text at `path` in the JSON held by `value`: strings as they are, integers and
    /// booleans as written; `nil` for objects, arrays, null, other numbers or a missing key.
    public static func text(at path: [String], in value: Value) -> String? {
        guard let json = value.textValue, let node = try? JSONDecoder().decode(Node.self, from: Data(json.utf8)) else { return nil }
        var current = node
        for key in path {
            guard case .object(let object) = current, let next = object[key] else { return nil }
            current = next
        }
        switch current {
        case .text(let text): return text
        case .integer(let number): return String(number)
        case .boolean(let flag): return flag ? "true" : "false"
        case .object, .other: return nil
        }
    }

    /// The SQLite expression of the value at `path` in a JSON column (`quotedColumn` already
    /// quoted), as lookups compare it and as an expression index must be built for them to use
    /// it: `json_extract("attributes", '$.phone')` (a key other than letters, digits and `_`
    /// quoted: `'$."e-mail"'`).
    public static func sqliteExpression(_ quotedColumn: String, path: [String]) -> String {
        let keys = path.map { key in
            key.range(of: "^[A-Za-z_][A-Za-z0-9_]*$", options: .regularExpression) != nil
                ? "." + key : ".\"" + key.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
        return "json_extract(\(quotedColumn), \(sqlString("$" + keys.joined())))"
    }

    /// The PostgreSQL expression of the value at `path`, as text: `("attributes" ->> 'phone')`,
    /// `("attributes" -> 'contact' ->> 'phone')`; a column that is not `jsonb` is cast to it
    /// first. Lookups compare it, and an expression index on it (`((attributes ->> 'phone'))`)
    /// serves them. Like ``text(at:in:)``, each key descends into an object only.
    public static func postgresExpression(_ quotedColumn: String, path: [String], castToJSONB: Bool) -> String {
        var expression = quotedColumn + (castToJSONB ? "::jsonb" : "")
        for (index, key) in path.enumerated() { expression += (index == path.count - 1 ? " ->> " : " -> ") + sqlString(key) }
        return "(\(expression))"
    }

    /// A SQL string literal (quotes doubled).
    static func sqlString(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
    }

    private indirect enum Node: Decodable {
        case text(String)
        case integer(Int64)
        case boolean(Bool)
        case object([String: Node])
        case other

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let text = try? container.decode(String.self) { self = .text(text) }
            else if let flag = try? container.decode(Bool.self) { self = .boolean(flag) }
            else if let number = try? container.decode(Int64.self) { self = .integer(number) }
            else if let object = try? container.decode([String: Node].self) { self = .object(object) }
            else { self = .other }
        }
    }
}
