/// What ``BackupReplay`` found and did, per erased request. Counts only, no personal data.
public struct ReplayReport: Sendable, Codable {
    public struct Item: Sendable, Codable, Hashable {
        public var requestID: String
        public var erasedAt: String
        /// `clean` (nothing came back), `found` (dry run), `erased`, `incomplete`, `failed`, or
        /// `purged` (its identifiers are gone: it cannot be checked).
        public var status: String
        /// Rows to delete or mask and files to remove that the restore brought back.
        public var deleted = 0
        public var masked = 0
        public var files = 0
        /// Rows kept under a hold (Art. 17(3)).
        public var held = 0
        public var runID: String?
        public var residue = 0
        public var error: String?

        public var found: Int { deleted + masked + files }

        mutating func count(_ plan: ErasurePlan) {
            deleted = plan.collections.map(\.deleted.count).reduce(0, +)
            // Rows still to mask: a row an earlier erasure masked is listed as masked, unchanged.
            masked = plan.steps.reduce(0) { if case .changeRows(let changes) = $1.action { $0 + changes.updates.count } else { $0 } }
            files = plan.collections.map(\.files.count).reduce(0, +)
            held = plan.collections.map(\.held.count).reduce(0, +)
        }
    }

    public var since: String
    public var dryRun: Bool
    public var items: [Item]

    /// Whether every request was checked and, unless a dry run, fully erased again.
    public var isFinished: Bool { !items.contains { ["failed", "incomplete", "purged"].contains($0.status) } }

    public var summary: String {
        let back = items.filter { $0.found > 0 }.count
        let failed = items.filter { ["failed", "incomplete", "purged"].contains($0.status) }.count
        return "\(items.count) erased requests checked; \(back) had data back " +
            "(\(items.map(\.deleted).reduce(0, +)) rows to delete, \(items.map(\.masked).reduce(0, +)) to mask, " +
            "\(items.map(\.files).reduce(0, +)) files); \(items.map(\.held).reduce(0, +)) held rows kept; \(failed) not finished"
    }
}
