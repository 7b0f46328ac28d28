/// The state of a grouped run (``Erasure``'s `run(group:signer:)`): the plans, which subjects
/// are still going, and why the others failed.
struct ErasureGroup {
    /// Where a step falls in every plan's order: the collection's place in the erasure order,
    /// files before rows.
    struct Phase: Hashable, Comparable {
        var collection: Int
        var isFiles: Bool
        static func < (a: Phase, b: Phase) -> Bool {
            a.collection != b.collection ? a.collection < b.collection : a.isFiles && !b.isFiles
        }
    }

    /// One step of one subject (`subject`: its position in ``plans``).
    struct Step {
        var subject: Int
        var step: ErasureStep
        var changes: RowChanges? {
            if case .changeRows(let changes) = step.action { return changes }
            return nil
        }
    }

    struct Failure {
        var error: DSARError
        /// The step that failed, when one did (not for a refused lock or a failed verification).
        var step: ErasureStep?
    }

    let plans: [ErasurePlan]
    private let order: [String: Int]
    /// Subjects still going, in order.
    private(set) var active: [Int]
    private(set) var failures: [Int: Failure] = [:]
    private var reported = Set<Int>()

    init(plans: [ErasurePlan], order names: [String]) {
        self.plans = plans
        order = Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        active = Array(plans.indices)
    }

    func phase(of step: ErasureStep) -> Phase {
        if case .removeFile = step.action { return Phase(collection: order[step.collection] ?? Int.max, isFiles: true) }
        return Phase(collection: order[step.collection] ?? Int.max, isFiles: false)
    }

    /// Every phase some plan has a step in, in execution order. Each plan's own steps come
    /// in this order (the planner orders them so), so every subject's steps run as planned.
    var phases: [Phase] {
        Set(plans.flatMap { $0.steps.map(phase(of:)) }).sorted()
    }

    /// The steps of the subjects still going in `phase`, subject by subject, each plan's in its order.
    func steps(in phase: Phase) -> [Step] {
        active.flatMap { subject in
            plans[subject].steps.filter { self.phase(of: $0) == phase }.map { Step(subject: subject, step: $0) }
        }
    }

    func failed(_ subject: Int) -> Bool { failures[subject] != nil }

    mutating func fail(_ subject: Int, _ error: DSARError, step: ErasureStep? = nil) {
        if failures[subject] == nil { failures[subject] = Failure(error: error, step: step) }
    }

    /// Failures not yet reported, and marks them reported.
    mutating func newFailures() -> [(Int, Failure)] {
        let fresh = failures.filter { !reported.contains($0.key) }.sorted { $0.key < $1.key }
        reported.formUnion(fresh.map(\.0))
        return fresh
    }

    mutating func dropFailed() {
        active.removeAll { failures[$0] != nil }
    }

    /// One row step for every subject's changes of one collection (the same key columns and
    /// declared referrers in every plan of a catalog).
    static func merged(_ steps: [ErasureStep]) -> RowChanges {
        var merged: RowChanges?
        for step in steps {
            guard case .changeRows(let changes) = step.action else { continue }
            if merged == nil {
                merged = changes
            } else {
                merged?.deletes += changes.deletes
                merged?.updates += changes.updates
            }
        }
        return merged ?? RowChanges(keyColumns: [])
    }

    /// One result per plan: its outcome, or why it failed.
    func results(outcomes: [Int: ErasureOutcome]) -> [Result<ErasureOutcome, DSARError>] {
        plans.indices.map { index in
            if let outcome = outcomes[index] { return .success(outcome) }
            return .failure(failures[index]?.error ?? DSARError(.storeFailure, "the subject's erasure did not finish"))
        }
    }
}
