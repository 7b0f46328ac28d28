/// A UTC instant with second precision, converted with pure integer civil-date
/// arithmetic (no `Date()`, no calendars, no time zones).
struct Timestamp: Sendable, Hashable, Comparable {
    /// Days since 1970-01-01.
    var day: Int
    /// Seconds since midnight.
    var second: Int

    init(day: Int, second: Int = 0) {
        self.day = day
        self.second = second
    }

    init(_ year: Int, _ month: Int, _ dayOfMonth: Int, _ hour: Int = 0, _ minute: Int = 0, _ sec: Int = 0) {
        self.init(day: Self.days(year, month, dayOfMonth), second: hour * 3600 + minute * 60 + sec)
    }

    static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        (lhs.day, lhs.second) < (rhs.day, rhs.second)
    }

    func adding(days: Int) -> Timestamp { Timestamp(day: day + days, second: second) }

    var civil: (year: Int, month: Int, day: Int) {
        let z = day + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// `2026-03-12`
    var dateText: String {
        let c = civil
        return "\(pad(c.year, 4))-\(pad(c.month))-\(pad(c.day))"
    }

    /// `2026-03-12T10:15:00Z`
    var iso: String {
        "\(dateText)T\(pad(second / 3600)):\(pad(second / 60 % 60)):\(pad(second % 60))Z"
    }

    /// `20260312T101500`
    var compact: String {
        let c = civil
        return "\(pad(c.year, 4))\(pad(c.month))\(pad(c.day))T\(pad(second / 3600))\(pad(second / 60 % 60))\(pad(second % 60))"
    }

    /// Uniformly random instant between `start` and `end`, during office hours (08:00–19:59).
    static func random(from start: Timestamp, to end: Timestamp, using rng: inout SplitMix64) -> Timestamp {
        let day = rng.int(start.day...max(start.day, end.day))
        return Timestamp(day: day, second: rng.int(8...19) * 3600 + rng.int(0...59) * 60 + rng.int(0...11) * 5)
    }

    private static func days(_ year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}

private func pad(_ value: Int, _ width: Int = 2) -> String {
    let text = String(value)
    return String(repeating: "0", count: max(0, width - text.count)) + text
}
