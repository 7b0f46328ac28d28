/// One link in the chain that explains why a record or identifier was found.
public struct ProvenanceStep: Hashable, Sendable, Encodable, CustomStringConvertible {
    public enum Kind: String, Sendable, Encodable {
        /// An identifier the request named.
        case seed
        /// An identifier read from a record that is the subject's.
        case revealed
        /// A record whose identifier column holds a known identifier.
        case match
        /// A record that references a record of the subject (customer → its calls).
        case child
        /// A record that a record of the subject references (an order → its address).
        case parent
    }

    public var kind: Kind
    /// The identifier, for `seed`, `revealed` and `match` steps.
    public var identifier: SubjectIdentifier?
    /// The record reached, for record steps; the record read, for `revealed`.
    public var record: RecordID?
    /// The column that matched, held the identifier, or carries the reference.
    public var column: String?

    public var description: String {
        switch kind {
        case .seed: return "request names \(identifier?.description ?? "?")"
        case .revealed: return "\(record?.description ?? "?").\(column ?? "?") gives \(identifier?.description ?? "?")"
        case .match: return "\(record?.description ?? "?") has \(identifier?.description ?? "?") in \(column ?? "?")"
        case .child: return "\(record?.description ?? "?") references it through \(column ?? "?")"
        case .parent: return "it references \(record?.description ?? "?") through \(column ?? "?")"
        }
    }

    enum CodingKeys: String, CodingKey { case kind, identifier, collection, key, column }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kind, forKey: .kind)
        try container.encodeIfPresent(identifier?.description, forKey: .identifier)
        try container.encodeIfPresent(record?.collection, forKey: .collection)
        try container.encodeIfPresent(record?.key, forKey: .key)
        try container.encodeIfPresent(column, forKey: .column)
    }
}

extension RecordKey: Encodable {
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: DynamicKey.self)
        for (column, value) in zip(columns, values) {
            try container.encode(value, forKey: DynamicKey(column))
        }
    }
}

struct DynamicKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
