/// A kind of value that names a person: an email address, a phone number, a customer id.
public struct IdentifierType: Sendable, Hashable {
    /// How values of this type are normalised before they are compared.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// Compared as written, after trimming white space.
        case opaque
        /// Trimmed and case-folded.
        case email
        /// Converted to E.164 (`+33612345678`) using ``IdentifierType/region`` for national numbers.
        case phone
    }

    public var name: String
    public var kind: Kind
    /// ISO 3166 region used to read national phone numbers (`FR`, `TN`): the first of ``regions``.
    public var region: String? { regions.first }
    /// ISO 3166 regions national phone numbers are read in, in order: the first region in which
    /// a number has a valid length reads it (`[TN, FR]`: `98 123 456` is Tunisian, `06 12 34 56 78` French).
    public var regions: [String]
    /// Whether one value can belong to several people (a household phone). Values of a shared
    /// type never prove who a record belongs to.
    public var shared: Bool
    public var location: SourceLocation?

    public init(name: String, kind: Kind, region: String? = nil, regions: [String] = [], shared: Bool = false,
                location: SourceLocation? = nil) {
        self.name = name
        self.kind = kind
        self.regions = regions.isEmpty ? (region.map { [$0] } ?? []) : regions
        self.shared = shared
        self.location = location
    }
}
