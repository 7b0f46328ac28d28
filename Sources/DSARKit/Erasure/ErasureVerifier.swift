import Logging

/// Checks after an erasure that the subject is gone: every step's change is in place, and
/// discovery, run again with every identifier the plan covered, finds nothing but held,
/// retained, masked, shared (and, for a consent withdrawal, out-of-scope) rows.
struct ErasureVerifier {
    let catalog: Catalog
    let stores: StoreSet
    let logger: Logger

    /// Residue, named by collection and key (files by their collection and row key).
    func residue(of plan: ErasurePlan) async throws -> [String] {
        var residue: [String] = []
        for step in plan.steps {
            switch step.action {
            case .removeFile(let path, _):
                if try await stores.fileStore(named: step.store).file(at: path) != nil {
                    residue.append("a file of \(step.collection) in \(step.store)")
                }
            case .changeRows(let changes):
                guard let collection = catalog.collection(named: step.collection) else { continue }
                let current = try await ErasureRows.current(changes, in: collection, stores: stores)
                for key in changes.deletes where current[key] != nil {
                    residue.append(name(RecordID(collection: step.collection, key: RecordKey(columns: changes.keyColumns, values: key))))
                }
                for update in changes.updates {
                    guard let row = current[update.key] else { continue }
                    if zip(update.columns, update.values).contains(where: { row[$0] != $1 }) {
                        residue.append(name(RecordID(collection: step.collection, key: RecordKey(columns: changes.keyColumns, values: update.key)))
                            + " (not masked)")
                    }
                }
            }
        }
        if let retention = plan.retention {
            residue += try await RetentionGathering(catalog: catalog, stores: stores, logger: logger).residue(of: plan, retention)
        }
        let identifiers = try plan.subject(in: catalog).identifiers
        // Rows kept for a missing or unreadable file are never "erased": each is residue.
        var blocked = Set(plan.collections.flatMap { summary in summary.blocked.map { BlockedRow(collection: summary.collection, key: $0) } })
        guard !identifiers.isEmpty else { return (residue + blocked.map(\.residue)).sorted() }
        let again = try await Discovery(catalog: catalog, stores: stores, logger: logger).discover(DataSubject(identifiers: identifiers))
        for found in again.records {
            let key = found.id.key.description
            guard let summary = plan.collection(found.id.collection) else {
                residue.append("\(name(found.id)) (found again, not in the plan)")
                continue
            }
            if blocked.remove(BlockedRow(collection: found.id.collection, key: key)) != nil {
                residue.append("\(name(found.id)) (kept: its linked file is missing or cannot be read)")
                continue
            }
            let kept = summary.masked + summary.retained + summary.shared + summary.outOfScope + summary.held.map(\.key)
                + summary.kept.map(\.key)
            if !kept.contains(key) { residue.append("\(name(found.id)) (found again)") }
        }
        residue += blocked.map(\.residue)
        return Array(Set(residue)).sorted()
    }

    /// A row kept because its linked file is missing or cannot be read.
    struct BlockedRow: Hashable {
        let collection: String
        let key: String
        /// Named by collection only when verification did not meet it again (its key may be personal).
        var residue: String { "a row of \(collection) (kept: its linked file is missing or cannot be read)" }
    }

    /// A record's name for reports (see ``RecordID/safeName(in:)``).
    func name(_ id: RecordID) -> String {
        id.safeName(in: catalog)
    }
}
