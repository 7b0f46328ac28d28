/// One change of the journal with the rules that decide it (``ErasureLedger/begin(_:at:)`` and
/// its siblings build them), so that several can be written in one transaction
/// (the several-change `commit`).
struct JournalWrite: Sendable {
    let change: JournalChange
    let rules: @Sendable (RunState?) throws -> JournalDecision

    init(_ change: JournalChange, _ rules: @escaping @Sendable (RunState?) throws -> JournalDecision) {
        self.change = change
        self.rules = rules
    }
}

extension ErasureLedger {
    func commit(_ write: JournalWrite) async throws {
        try await commit(write.change, write.rules)
    }

    /// Every write in one transaction (the several-change `commit`); nothing when one is refused.
    func commit(_ writes: [JournalWrite]) async throws {
        guard !writes.isEmpty else { return }
        try await commit(writes.map(\.change)) { position, state in try writes[position].rules(state) }
    }
}
