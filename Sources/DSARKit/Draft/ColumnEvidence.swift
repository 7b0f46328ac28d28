/// What sampling a column showed: how many of its values parse as email addresses or phone
/// numbers. Only counts are kept, never the values.
public struct ColumnEvidence: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable {
        case email, phone
    }

    public var kind: Kind
    public var sampled: Int
    public var matching: Int
    /// The regions national phone numbers were read in (empty: international numbers only).
    public var regions: [String]
    /// Whether the column's name suggests the kind (`email`, `msisdn`, `caller_id`): a hint, never enough alone.
    public var nameHint: Bool

    public var share: Double { sampled == 0 ? 0 : Double(matching) / Double(sampled) }

    /// `97% of 1,000 sampled values parse as phone numbers (TN)`.
    public var summary: String {
        let percent = Int((share * 100).rounded(.down))
        let what = kind == .email ? "email addresses" : "phone numbers (\(regions.isEmpty ? "international" : regions.joined(separator: ", ")))"
        return "\(percent)% of \(Self.grouped(sampled)) sampled value\(sampled == 1 ? "" : "s") parse as \(what)"
    }

    /// Classifies a column from sampled values. A column is an identifier when at least 80% of
    /// its sampled values parse as one kind, or 50% when its name suggests that kind.
    public static func classify(column: String, values: [String?], regions: [String]) -> ColumnEvidence? {
        guard !values.isEmpty else { return nil }
        let email = IdentifierType(name: "email", kind: .email)
        let phone = IdentifierType(name: "phone", kind: .phone, regions: regions)
        var emails = 0
        var phones = 0
        for case let value? in values {
            if value.contains("@") {
                if email.normalize(value) != nil { emails += 1 }
            } else if !Self.looksLikeDate(value), phone.normalize(value) != nil {
                phones += 1
            }
        }
        let lowered = column.lowercased()
        let candidates = [
            ColumnEvidence(kind: .email, sampled: values.count, matching: emails, regions: [],
                           nameHint: ["mail"].contains { lowered.contains($0) }),
            ColumnEvidence(kind: .phone, sampled: values.count, matching: phones, regions: regions,
                           nameHint: ["phone", "mobile", "msisdn", "caller", "tel", "gsm", "cell", "fax", "callee", "number", "src"]
                            .contains { lowered.contains($0) }),
        ]
        return candidates
            .filter { $0.matching > 0 && ($0.share >= 0.8 || ($0.nameHint && $0.share >= 0.5)) }
            .max { $0.matching < $1.matching }
    }

    /// The expression a caller id's number is read with: `"Amel Ben Ali" <98123456>`.
    public static let callerIDExtract = "<([^>]+)>"

    /// A column of caller ids (`"Amel Ben Ali" <98123456>`, Asterisk's `clid`): at least 80% of its
    /// sampled values hold a phone number between `<` and `>` (50% when its name says so: `callerid`).
    public static func classifyCallerIDs(values: [String?], regions: [String], column: String = "") -> ColumnEvidence? {
        guard !values.isEmpty else { return nil }
        let phone = IdentifierType(name: "phone", kind: .phone, regions: regions)
        var phones = 0
        for case let value? in values {
            guard let open = value.firstIndex(of: "<"), let close = value[open...].firstIndex(of: ">") else { continue }
            let inner = String(value[value.index(after: open)..<close])
            if !looksLikeDate(inner), phone.normalize(inner) != nil { phones += 1 }
        }
        let hint = ["caller", "phone", "number"].contains { column.lowercased().contains($0) }
        let evidence = ColumnEvidence(kind: .phone, sampled: values.count, matching: phones, regions: regions, nameHint: hint)
        return phones > 0 && (evidence.share >= 0.8 || (hint && evidence.share >= 0.5)) ? evidence : nil
    }

    /// When at least 5 values were sampled and 80% of them are one and the same value: how many,
    /// of how many. A column holding the controller's own number on every row (the line callers
    /// dialled, Asterisk's `did`) is no one's identifier, and would link every caller to every other.
    public static func repeatedValue(_ values: [String?]) -> (count: Int, sampled: Int)? {
        let texts = values.compactMap { $0?.trimmingWhitespace() }.filter { !$0.isEmpty }
        guard texts.count >= 5 else { return nil }
        let top = Dictionary(texts.map { ($0, 1) }, uniquingKeysWith: +).values.max() ?? 0
        return top * 10 >= texts.count * 8 ? (top, texts.count) : nil
    }

    /// The review note for a column ``repeatedValue(_:)`` holds back.
    static func repeatedNote(_ column: String, kind: Kind, _ repeated: (count: Int, sampled: Int)) -> String {
        "\(column) is not drafted as an identifier: \(grouped(repeated.count)) of \(grouped(repeated.sampled)) non-empty sampled values are one and the same "
            + (kind == .email ? "email address" : "phone number") + " (the controller's own?); if so, list it in coverage.ignore with that reason"
    }

    /// `2026-03-01`, `01/04/2026`, `2026.03.01`: eight digits a phone number reader would take for a Tunisian number.
    static func looksLikeDate(_ value: String) -> Bool {
        let groups = value.trimmingWhitespace().split(whereSeparator: { "-./".contains($0) }).map(\.count)
        return (groups == [4, 2, 2] || groups == [2, 2, 4]) && value.filter(\.isNumber).count == 8
    }

    /// `20260302`: eight digits reading as a date (years 1900-2099), as recordings' names hold them.
    static func looksLikeCompactDate(_ value: String) -> Bool {
        guard value.count == 8, value.allSatisfy(\.isNumber), value.hasPrefix("19") || value.hasPrefix("20") else { return false }
        let digits = Array(value)
        let month = Int(String(digits[4...5])) ?? 0, day = Int(String(digits[6...7])) ?? 0
        return (1...12).contains(month) && (1...31).contains(day)
    }

    static func grouped(_ number: Int) -> String {
        var digits = String(number)
        var groups: [String] = []
        while digits.count > 3 {
            groups.insert(String(digits.suffix(3)), at: 0)
            digits.removeLast(3)
        }
        groups.insert(digits, at: 0)
        return groups.joined(separator: ",")
    }
}
