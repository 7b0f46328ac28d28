import Foundation

/// An unfinished run read back from the journal.
public struct JournalRun: Sendable {
    public var plan: ErasurePlan
    /// Steps whose store change committed.
    public var done: Set<Int>

    public init(plan: ErasurePlan, done: Set<Int>) {
        self.plan = plan
        self.done = done
    }

    /// The run of a stored record, its plan decoded; an unreadable plan is an error naming
    /// the run, never a run with fewer identifiers or steps.
    init(_ record: JournalRecord) throws {
        guard let json = record.plan, let plan = try? JSONDecoder().decode(ErasurePlan.self, from: Data(json.utf8)),
              plan.runID == record.id else {
            throw DSARError(.ledgerFailure, "the journal of run \(record.id.rawValue.prefix(40)) cannot be read", location: "ledger")
        }
        self.init(plan: plan, done: record.done)
    }

    /// The plan as the journal stores it.
    static func json(_ plan: ErasurePlan) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(plan), as: UTF8.self)
    }
}
