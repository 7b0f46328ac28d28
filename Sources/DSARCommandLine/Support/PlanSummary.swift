import DSARKit
import Foundation

/// The plan as a privacy officer reads it.
struct PlanSummary {
    let plan: ErasurePlan

    var text: String {
        var lines = ["Erasure plan \(plan.requestID)" + (plan.onlyBasis.map { " (only rows whose lawful basis is \($0.rawValue))" } ?? "")]
        if let statement = plan.scopeStatement { lines.append("Scope: only what the request names: \(statement.summary)") }
        for collection in plan.collections where !collection.isEmpty {
            lines.append("")
            lines.append("\(collection.collection) (\(collection.store))")
            if !collection.deleted.isEmpty { lines.append("  delete \(collection.deleted.count): \(list(collection.deleted))") }
            if !collection.masked.isEmpty {
                let how = collection.masks.sorted { $0.key < $1.key }.map { "\($0.key) → \($0.value)" }.joined(separator: ", ")
                lines.append("  mask \(collection.masked.count) (\(how)): \(list(collection.masked))")
            }
            for held in collection.held {
                let why = held.under.map { "kept with \($0), which is under a legal hold (\(held.reason))" } ?? held.reason
                lines.append("  hold \(held.key)" + (held.until.map { " until \($0)" } ?? "") + ": \(why)")
            }
            if !collection.retained.isEmpty {
                lines.append("  retain \(collection.retained.count): \(list(collection.retained)) — \(collection.retainReason ?? "")")
            }
            if !collection.shared.isEmpty {
                lines.append("  keep \(collection.shared.count), shared with other people's records: \(list(collection.shared))")
            }
            for kept in collection.kept { lines.append("  keep \(kept.key): \(kept.reason)") }
            for kept in collection.keptFiles { lines.append("  keep the file of \(kept.key): \(kept.reason)") }
            if !collection.outOfScope.isEmpty {
                lines.append("  leave \(collection.outOfScope.count) (\(plan.scope == nil ? "another lawful basis" : "not in the request's scope")): \(list(collection.outOfScope))")
            }
            if !collection.files.isEmpty { lines.append("  delete \(collection.files.count) file(s) from \(collection.files[0].store)") }
            if !collection.blocked.isEmpty {
                lines.append("  keep \(collection.blocked.count), linked file missing or unreadable (the erasure will be incomplete): \(list(collection.blocked))")
            }
        }
        if !plan.conflicts.isEmpty { lines.append("\nNever touched, other people's records: \(list(plan.conflicts))") }
        if !plan.ambiguous.isEmpty { lines.append("Never touched, for review (shared identifier): \(list(plan.ambiguous))") }
        lines.append("\n\(plan.steps.count) steps. Nothing was changed.")
        return lines.joined(separator: "\n")
    }

    func outcomeText(_ outcome: ErasureOutcome) -> String {
        let certificate = outcome.certificate
        let deleted = certificate.collections.map(\.deleted).reduce(0, +)
        let masked = certificate.collections.map(\.masked).reduce(0, +)
        let held = certificate.collections.map(\.held).reduce(0, +)
        var lines = ["Erasure \(outcome.plan.requestID): \(outcome.isComplete ? (outcome.plan.scope == nil ? "complete" : "complete for the scope") : "INCOMPLETE")" +
                     (outcome.replanned ? " (re-planned: the data had changed)" : ""),
                     "  \(deleted) rows deleted, \(masked) masked, \(held) held, \(certificate.filesDeleted) files deleted"]
        for hold in certificate.holds { lines.append("  held in \(hold.collection): \(hold.reason)") }
        if !certificate.recipients.isEmpty { lines.append("  notify (Art. 19): " + certificate.recipients.joined(separator: ", ")) }
        for item in outcome.residue.prefix(20) { lines.append("  still found: \(item)") }
        return lines.joined(separator: "\n")
    }

    private func list(_ keys: [String]) -> String {
        keys.count > 12 ? keys.prefix(12).joined(separator: "; ") + "; …" : keys.joined(separator: "; ")
    }

    static func json(_ plan: ErasurePlan) throws -> Data {
        try JSONOutput.data(plan)
    }
}
