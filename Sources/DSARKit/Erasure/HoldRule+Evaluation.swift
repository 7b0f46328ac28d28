import Foundation

extension HoldRule {
    /// Whether a row with `value` in the hold column is held at `now`, and until when.
    ///
    /// A date (`2031-03-15`, or a date and time) holds the row while it is in the future (a
    /// date alone holds through that day, UTC); a flag holds it while true (`1`, `true`,
    /// `yes`). NULL, empty, `0`, `false` and `no` do not hold. Anything else holds: a value
    /// erasure cannot read is never taken as permission to erase. With ``values``, the row is
    /// held while the column (trimmed) equals one of them, and only then.
    public func holds(_ value: Value, at now: Date) -> (held: Bool, until: String?) {
        if let values {
            guard let text = value.textValue?.trimmingWhitespace() else { return (false, nil) }
            return (values.contains(text), nil)
        }
        switch value {
        case .null: return (false, nil)
        case .integer(let int): return (int != 0, nil)
        case .real(let double): return (double != 0, nil)
        case .blob(let data): return (!data.isEmpty, nil)
        case .text(let raw):
            let text = raw.trimmingWhitespace()
            switch text.lowercased() {
            case "", "0", "false", "no": return (false, nil)
            case "1", "true", "yes": return (true, nil)
            default: break
            }
            guard Self.looksLikeDate(text) else { return (true, nil) }
            let today = ISO8601.timestamp(now)
            // Only the date (and time) goes into plans and certificates: never text that follows it.
            let stamp = String(text.prefix { "0123456789-:TZ+. ".contains($0) }).trimmingWhitespace()
            if text.count == 10 { return (text >= String(today.prefix(10)), stamp) }
            return (text.replacingOccurrences(of: " ", with: "T") > today, stamp)
        }
    }

    private static func looksLikeDate(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count >= 10 else { return false }
        let digits = [0, 1, 2, 3, 5, 6, 8, 9]
        return digits.allSatisfy { (48...57).contains(bytes[$0]) } && bytes[4] == 45 && bytes[7] == 45
    }
}

/// UTC timestamps as text, the way the ledger, plans and certificates write them.
enum ISO8601 {
    static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC")!))
    }
}
