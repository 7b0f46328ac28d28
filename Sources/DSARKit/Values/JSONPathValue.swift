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
