extension IdentifierType {
    /// The canonical form of a value of this type, or `nil` if it is not a valid value.
    ///
    /// - email: folded as ``EmailFolding`` does (trimmed, ASCII letters lower-cased, nothing
    ///   else, the way databases compare); must have one `@` with text on both sides.
    /// - phone: E.164 (`+33612345678`); national numbers read with ``region``.
    /// - opaque: trimmed; a UUID (`8-4-4-4-12` hex digits) in lower case, as PostgreSQL prints
    ///   a `uuid` (its digits' case means nothing), other values as written.
    public func normalize(_ raw: String) -> String? {
        switch kind {
        case .opaque:
            let trimmed = raw.trimmingWhitespace()
            guard !trimmed.isEmpty else { return nil }
            return Self.isUUID(trimmed) ? trimmed.lowercased() : trimmed
        case .email:
            let folded = EmailFolding.fold(raw)
            let parts = folded.split(separator: "@", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty,
                  !folded.contains(where: { $0.isWhitespace || $0 == "\0" }) else { return nil }
            return folded
        case .phone:
            return PhoneNumber(raw, regions: phoneRegions)?.e164
        }
    }

    /// The ways a canonical value is commonly written, for stores that can only match exact
    /// text (an indexed `IN (…)`): the canonical form first.
    ///
    /// With `national`, a phone number's national forms are given whatever its country: for
    /// a column holding only the national part of a number split across two columns.
    public func spellings(of normalized: String, national: Bool = false) -> [String] {
        switch kind {
        case .opaque:
            // A text column may hold a UUID in upper case (as .NET and Windows write them).
            return Self.isUUID(normalized) ? [normalized, normalized.uppercased()] : [normalized]
        case .email:
            return [normalized]
        case .phone:
            guard let number = PhoneNumber(normalized, region: nil) else { return [normalized] }
            let homes = national ? phoneRegions + [number.region].compactMap { $0 } : phoneRegions
            return number.spellings(homes: homes)
        }
    }

    /// Whether `text` is written as a UUID: 32 hex digits in groups of 8, 4, 4, 4 and 12
    /// separated by hyphens.
    static func isUUID(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 36 else { return false }
        return bytes.indices.allSatisfy { index in
            [8, 13, 18, 23].contains(index) ? bytes[index] == UInt8(ascii: "-")
                : (48...57).contains(bytes[index]) || (65...70).contains(bytes[index]) || (97...102).contains(bytes[index])
        }
    }

    /// The known regions of ``regions``, in order.
    var phoneRegions: [PhoneRegion] { regions.compactMap(PhoneRegion.init(code:)) }
}

extension String {
    func trimmingWhitespace() -> String {
        var slice = Substring(self)
        while let first = slice.first, first.isWhitespace { slice = slice.dropFirst() }
        while let last = slice.last, last.isWhitespace { slice = slice.dropLast() }
        return String(slice)
    }
}
