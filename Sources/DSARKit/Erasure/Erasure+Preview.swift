import Foundation

extension Erasure {
    /// Plans every subject of `batch` and sums what erasing them would do, changing nothing:
    /// no run is opened, nothing is journaled, no lock is taken. `plan` is called with each
    /// subject's plan, in batch order (to write a plans file). A subject that cannot be planned
    /// is reported in ``BatchPreview/failed`` and the others go on.
    public func previewBatch(_ batch: ErasureBatch, onlyBasis: LawfulBasis? = nil,
                             plan report: (BatchPreview.SubjectPlan) throws -> Void = { _ in }) async throws -> BatchPreview {
        let maskingKey = try ledger.maskingKey()
        let planner = try planner()
        var preview = BatchPreview()
        preview.subjects = batch.entries.count
        for entry in batch.entries {
            let plan: ErasurePlan
            var review: (conflicts: [String], ambiguous: [String])
            do {
                let result = try await Discovery(catalog: catalog, stores: stores, logger: logger).discover(entry.subject)
                plan = try await planner.plan(from: result, onlyBasis: onlyBasis, requestID: UUID().uuidString.lowercased())
                // Named as reports name them: a key that is personal data (a voicemail's path) by a digest.
                review = (result.conflicts.map { $0.id.safeName(in: catalog) }, result.ambiguous.map { $0.id.safeName(in: catalog) })
            } catch {
                preview.failed.append(BatchPreview.Failure(line: entry.line, error: (error as? DSARError)?.description ?? "unexpected failure"))
                continue
            }
            preview.add(plan, line: entry.line, conflicts: review.conflicts, ambiguous: review.ambiguous)
            try report(BatchPreview.SubjectPlan(line: entry.line, subjectDigest: maskingKey.subjectDigest(entry.subject.identifiers.map(\.description)),
                                                plan: plan))
        }
        let order = Dictionary(uniqueKeysWithValues: catalog.collections.enumerated().map { ($1.name, $0) })
        preview.collections.sort { order[$0.collection, default: .max] < order[$1.collection, default: .max] }
        return preview
    }
}
