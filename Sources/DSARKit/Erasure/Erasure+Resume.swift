import Foundation

extension Erasure {
    /// The plan to finish a journaled run with: the journaled one when the data is as it
    /// was planned (or already changed by the run itself), else a new plan for what is left.
    func checked(_ journal: JournalRun) async throws -> (ErasurePlan, Bool) {
        let old = journal.plan
        var reason: String?
        var alreadyMasked = Set<RecordID>()
        for step in old.steps {
            guard case .changeRows(let changes) = step.action, let collection = catalog.collection(named: step.collection) else {
                if case .removeFile(let path, let size) = step.action, !journal.done.contains(step.index),
                   let file = try await stores.fileStore(named: step.store).file(at: path), file.size != size {
                    reason = reason ?? "a file to remove changed"
                }
                continue
            }
            let current = try await ErasureRows.current(changes, in: collection, stores: stores)
            for (offset, key) in changes.deletes.enumerated() {
                if let row = current[key], row.digest != step.rowDigests[safe: offset], !journal.done.contains(step.index) {
                    reason = reason ?? "a row to delete changed"
                }
            }
            for (offset, update) in changes.updates.enumerated() {
                let id = RecordID(collection: step.collection, key: RecordKey(columns: changes.keyColumns, values: update.key))
                guard let row = current[update.key] else { continue }
                if zip(update.columns, update.values).allSatisfy({ row[$0] == $1 }) {
                    alreadyMasked.insert(id)
                } else if row.digest != step.rowDigests[safe: changes.deletes.count + offset] {
                    reason = reason ?? "a row to mask changed"
                }
            }
        }
        // A retention sweep names no subject: its rows are read again by its rules, with its cutoffs.
        var sweep: RetentionGathering.Gathered?
        var result: DiscoveryResult
        if let retention = old.retention {
            let gathered = try await RetentionGathering(catalog: catalog, stores: stores, logger: logger).gather(retention)
            (sweep, result) = (gathered, gathered.result)
        } else {
            result = try await Discovery(catalog: catalog, stores: stores, logger: logger).discover(try old.subject(in: catalog))
        }
        // A file this run planned to remove and that is gone was removed by the run itself (it
        // stopped between a file and its row): its row is not one whose recording went missing.
        let removed = try await removedFiles(of: old)
        result.problems.removeAll { removed.contains("\($0.record.collection)\u{0}\($0.record.key.description)") }
        var fresh = try await planner().plan(from: result, onlyBasis: old.onlyBasis, scope: old.scope, scopeMayBeEmpty: true,
                                             selecting: sweep?.selected, requestID: old.requestID,
                                             alreadyMasked: alreadyMasked, firstStep: journal.done.count)
        if let retention = old.retention { fresh = fresh.sweepPlan(retention, alreadyMasked: alreadyMasked) }
        for collection in fresh.collections {
            let known = Set(old.collection(collection.collection).map {
                $0.deleted + $0.masked + $0.retained + $0.shared + $0.outOfScope + $0.held.map(\.key) + $0.kept.map(\.key)
            } ?? [])
            if !(collection.deleted + collection.masked).allSatisfy(known.contains) {
                reason = reason ?? "records of the subject appeared since the plan was made"
            }
        }
        guard let reason else { return (old, false) }
        logger.notice("the data changed since the plan was made; re-planning", metadata: ["request": "\(old.requestID)"])
        let merged = merge(old, fresh, done: journal.done)
        try await ledger.replan(merged, keeping: journal.done, reason: reason, at: now())
        return (merged, true)
    }

    /// Rows (`collection` NUL `key`) whose files `plan` removes and that are no longer there.
    private func removedFiles(of plan: ErasurePlan) async throws -> Set<String> {
        var removed = Set<String>()
        for summary in plan.collections {
            for file in summary.files {
                if try await stores.fileStore(named: file.store).file(at: file.path) == nil {
                    removed.insert("\(summary.collection)\u{0}\(file.key)")
                }
            }
        }
        return removed
    }

    /// The done steps of `old`, then the steps of `fresh`; the summaries of both.
    private func merge(_ old: ErasurePlan, _ fresh: ErasurePlan, done: Set<Int>) -> ErasurePlan {
        var merged = fresh
        let kept = old.steps.filter { done.contains($0.index) }.sorted { $0.index < $1.index }
        merged.steps = kept + fresh.steps.enumerated().map { offset, step in
            var step = step
            step.index = kept.count + offset
            return step
        }
        merged.identifiers = Array(Set(old.identifiers + fresh.identifiers)).sorted()
        merged.requested = old.requested
        merged.scope = old.scope
        merged.scopeStatement = old.scopeStatement
        merged.retention = old.retention
        for previous in old.collections {
            guard let index = merged.collections.firstIndex(where: { $0.collection == previous.collection }) else {
                var gone = previous
                gone.masked = []; gone.held = []; gone.retained = []; gone.shared = []; gone.outOfScope = []; gone.kept = []
                merged.collections.append(gone)
                continue
            }
            var summary = merged.collections[index]
            let classified = Set(summary.deleted + summary.masked + summary.retained + summary.shared + summary.outOfScope
                                 + summary.held.map(\.key) + summary.kept.map(\.key))
            summary.deleted += previous.deleted.filter { !classified.contains($0) }
            let paths = Set(summary.files.map(\.path))
            summary.files += previous.files.filter { !paths.contains($0.path) }
            merged.collections[index] = summary
        }
        return merged
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
