/// One identifier of a data subject, normalised: `email:amel.benali@example.tn`,
/// `phone:+21698123456`, `customer_id:C-1042`.
public struct SubjectIdentifier: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The identifier type's name in the catalog.
    public let type: String
    /// The canonical value (see ``IdentifierType/normalize(_:)``).
    public let value: String

    /// An identifier whose value is already canonical.
    public init(type: String, normalizedValue: String) {
        self.type = type
        self.value = normalizedValue
    }

    /// Parses `type:value` and normalises the value with the catalog's identifier type.
    /// The error never repeats the value: it may be personal data.
    public init(parsing text: String, catalog: Catalog) throws {
        guard let colon = text.firstIndex(of: ":") else {
            throw DSARError(.invalidIdentifier, "an identifier is written type:value, for example email:name@example.com")
        }
        let typeName = String(text[..<colon]).trimmingWhitespace()
        let raw = String(text[text.index(after: colon)...])
        try self.init(type: typeName, raw: raw, catalog: catalog)
    }

    /// Normalises `raw` as a value of the identifier type named `type`.
    public init(type typeName: String, raw: String, catalog: Catalog) throws {
        guard let type = catalog.identifierType(named: typeName) else {
            let known = catalog.identifiers.map(\.name).joined(separator: ", ")
            throw DSARError(.unknownIdentifierType, "unknown identifier type '\(typeName.prefix(40))'; the catalog declares: \(known)")
        }
        guard let value = type.normalize(raw) else {
            throw DSARError(.invalidIdentifier, "the \(typeName) value is not a valid \(type.kind.rawValue)" +
                            (type.kind == .phone ? " number (regions \(type.regions.isEmpty ? "none" : type.regions.joined(separator: ", ")))" : ""))
        }
        self.init(type: typeName, normalizedValue: value)
    }

    public var description: String { "\(type):\(value)" }

    /// Equal when type and value have the same bytes, as a database compares them: Swift's
    /// `==` on strings also equates canonically equivalent texts (`é` and `e` + accent).
    public static func == (lhs: SubjectIdentifier, rhs: SubjectIdentifier) -> Bool {
        lhs.type.utf8.elementsEqual(rhs.type.utf8) && lhs.value.utf8.elementsEqual(rhs.value.utf8)
    }

    public func hash(into hasher: inout Hasher) {
        for byte in type.utf8 { hasher.combine(byte) }
        hasher.combine(0xFF as UInt8)
        for byte in value.utf8 { hasher.combine(byte) }
    }

    public static func < (lhs: SubjectIdentifier, rhs: SubjectIdentifier) -> Bool {
        if !lhs.type.utf8.elementsEqual(rhs.type.utf8) { return lhs.type.utf8.lexicographicallyPrecedes(rhs.type.utf8) }
        return lhs.value.utf8.lexicographicallyPrecedes(rhs.value.utf8)
    }
}

/// The person a request is about, known by one or more identifiers.
public struct DataSubject: Hashable, Sendable {
    public var identifiers: [SubjectIdentifier]

    public init(identifiers: [SubjectIdentifier]) {
        self.identifiers = identifiers
    }

    /// Parses `type:value` strings against the catalog.
    public init(parsing texts: [String], catalog: Catalog) throws {
        guard !texts.isEmpty else {
            throw DSARError(.invalidIdentifier, "name the subject with at least one identifier, for example email:name@example.com")
        }
        self.identifiers = try texts.map { try SubjectIdentifier(parsing: $0, catalog: catalog) }
    }
}
