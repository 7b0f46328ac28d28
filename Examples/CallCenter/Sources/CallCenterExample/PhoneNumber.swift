/// A French or Tunisian phone number, able to render itself in the messy
/// formats found in real call-centre data.
struct PhoneNumber: Sendable, Hashable {
    enum Style: Sendable, CaseIterable {
        case e164             // +33612345678
        case international    // +33 6 12 34 56 78 / +216 98 123 456
        case international00  // 0033612345678 / 0021698123456
        case national         // 06 12 34 56 78
        case nationalDotted   // 06.12.34.56.78
        case nationalCompact  // 0612345678
    }

    /// Country calling code without "+": "33" or "216".
    let countryCode: String
    /// National significant number: "612345678" (FR) or "98123456" (TN).
    let subscriber: String

    var e164: String { "+\(countryCode)\(subscriber)" }
    var isFrench: Bool { countryCode == "33" }

    /// Styles a customer record may use for this number.
    var storageStyles: [Style] {
        isFrench ? [.national, .international, .international00, .nationalDotted, .e164]
                 : [.international, .international00, .e164]
    }

    /// Styles a telephony system may log for this number.
    var callerStyles: [Style] { isFrench ? storageStyles + [.nationalCompact] : storageStyles }

    /// How the voicemail system writes the number in file names.
    var voicemailStyle: Style { isFrench ? .nationalCompact : .international00 }

    func written(_ style: Style) -> String {
        let national = "0" + subscriber
        switch style {
        case .e164:
            return e164
        case .international00:
            return "00\(countryCode)\(subscriber)"
        case .international:
            if isFrench {
                return "+33 \(subscriber.prefix(1)) " + Self.groups(String(subscriber.dropFirst()), sizes: [2, 2, 2, 2], separator: " ")
            }
            return "+216 " + Self.groups(subscriber, sizes: [2, 3, 3], separator: " ")
        case .national, .nationalDotted, .nationalCompact:
            guard isFrench else { return written(.international00) }
            if style == .nationalCompact { return national }
            return Self.groups(national, sizes: [2, 2, 2, 2, 2], separator: style == .national ? " " : ".")
        }
    }

    private static func groups(_ digits: String, sizes: [Int], separator: String) -> String {
        var rest = Substring(digits)
        var parts: [Substring] = []
        for size in sizes where !rest.isEmpty {
            parts.append(rest.prefix(size))
            rest = rest.dropFirst(size)
        }
        if !rest.isEmpty { parts.append(rest) }
        return parts.joined(separator: separator)
    }
}
