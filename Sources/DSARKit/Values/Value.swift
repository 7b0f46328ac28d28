import Foundation

/// A single column value read from a store.
public enum Value: Hashable, Sendable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob(Data)

    /// The value as text, the way identifiers and keys are compared (`nil` for NULL).
    public var textValue: String? {
        switch self {
        case .null: return nil
        case .integer(let int): return String(int)
        case .real(let double):
            if double.rounded() == double, abs(double) < 1e15 { return String(Int64(double)) }
            return String(double)
        case .text(let string): return string
        case .blob(let data): return String(data: data, encoding: .utf8)
        }
    }

    public var isNull: Bool { if case .null = self { return true } else { return false } }
}

extension Value: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let int = try? container.decode(Int64.self) { self = .integer(int) }
        else if let double = try? container.decode(Double.self) { self = .real(double) }
        else { self = .text(try container.decode(String.self)) }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .integer(let int): try container.encode(int)
        case .real(let double): try container.encode(double)
        case .text(let string): try container.encode(string)
        case .blob(let data): try container.encode(data.base64EncodedString())
        }
    }
}

extension Value: CustomStringConvertible {
    public var description: String { textValue ?? "NULL" }
}

extension Value: Comparable {
    private var rank: Int {
        switch self {
        case .null: 0
        case .integer, .real: 1
        case .text: 2
        case .blob: 3
        }
    }

    public static func < (lhs: Value, rhs: Value) -> Bool {
        switch (lhs, rhs) {
        case let (.integer(a), .integer(b)): return a < b
        case let (.integer(a), .real(b)): return Double(a) < b
        case let (.real(a), .integer(b)): return a < Double(b)
        case let (.real(a), .real(b)): return a < b
        case let (.text(a), .text(b)): return a < b
        case let (.blob(a), .blob(b)): return a.lexicographicallyPrecedes(b)
        default: return lhs.rank < rhs.rank
        }
    }
}
