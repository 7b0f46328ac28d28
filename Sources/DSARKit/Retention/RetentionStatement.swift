/// What a retention sweep applied, per collection with a `keep:` rule, without personal data:
/// the rule, the day rows had to be dated before to be past it, and how many were. Stated by
/// the sweep's plan (so a resumed sweep reads the same cutoffs) and by its certificate.
public struct RetentionStatement: Sendable, Hashable, Codable {
    public struct Part: Sendable, Hashable, Codable {
        public var collection: String
        /// `6 months after started_at`, `until the day in delete_after`.
        public var rule: String
        /// `YYYY-MM-DD`: rows dated before this day (UTC) were past their rule.
        public var cutoff: String
        /// How many rows of the collection were past their rule when the sweep was planned.
        public var pastRule: Int

        public init(collection: String, rule: String, cutoff: String, pastRule: Int) {
            self.collection = collection
            self.rule = rule
            self.cutoff = cutoff
            self.pastRule = pastRule
        }
    }

    public var parts: [Part]

    public init(parts: [Part]) {
        self.parts = parts
    }

    /// `calls: 6 months after started_at, before 2026-06-01 (12 rows)`
    public var summary: String {
        parts.map { "\($0.collection): \($0.rule), before \($0.cutoff) (\($0.pastRule) row\($0.pastRule == 1 ? "" : "s"))" }
            .joined(separator: "; ")
    }
}
