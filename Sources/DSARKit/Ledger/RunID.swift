/// The id of an erasure run in the journal: the request id the run was planned under
/// (``ErasurePlan/requestID``). Never personal data.
public struct RunID: RawRepresentable, Hashable, Comparable, Sendable, Codable, CustomStringConvertible,
                     ExpressibleByStringLiteral {
    public var rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { rawValue }

    public static func < (lhs: RunID, rhs: RunID) -> Bool { lhs.rawValue < rhs.rawValue }
}

extension ErasurePlan {
    /// The run this plan is journaled as.
    public var runID: RunID { RunID(requestID) }
}
