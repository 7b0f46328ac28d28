/// A journaled identifier is written `type:value` (as ever) and read back exactly, without the
/// catalog: the value was canonical when written, so nothing is normalised again and nothing
/// is dropped. Text that is not `type:value` is a decoding error (the run's journal cannot be
/// read), never an identifier left out.
extension SubjectIdentifier: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let colon = text.firstIndex(of: ":"), colon != text.startIndex else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "an identifier is written type:value")
        }
        self.init(type: String(text[..<colon]), normalizedValue: String(text[text.index(after: colon)...]))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
