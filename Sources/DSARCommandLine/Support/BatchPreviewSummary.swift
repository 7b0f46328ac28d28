import DSARKit

/// A batch preview as an operator reads it before a large run.
struct BatchPreviewSummary {
    let preview: BatchPreview

    var text: String {
        var lines = ["Batch preview: \(preview.subjects) subjects, \(preview.planned) planned."]
        if preview.collections.isEmpty { lines.append("Nothing to erase.") }
        for totals in preview.collections {
            let counts: [(Int, String)] = [
                (totals.delete, "delete"), (totals.mask, "mask"), (totals.hold, "hold"), (totals.retain, "retain"),
                (totals.keepShared, "keep as shared"), (totals.keepReferenced, "keep as still referenced"),
                (totals.outOfScope, "leave (out of scope)"), (totals.blocked, "keep (linked file missing)"),
                (totals.deleteFiles, "delete file(s)"), (totals.keepFiles, "keep file(s)"),
            ]
            let parts = counts.filter { $0.0 > 0 }.map { "\($0.1) \($0.0)" }
            lines.append("  \(totals.collection) (\(totals.store)): " + parts.joined(separator: ", "))
        }
        if !preview.conflicts.isEmpty { lines.append("Never touched, other people's records: " + list(preview.conflicts)) }
        if !preview.ambiguous.isEmpty { lines.append("Never touched, for review (shared identifier): " + list(preview.ambiguous)) }
        if !preview.nothingFound.isEmpty {
            lines.append("Nothing found for the subjects of line(s) " + preview.nothingFound.map(String.init).joined(separator: ", "))
        }
        for failure in preview.failed { lines.append("Line \(failure.line) could not be planned: \(failure.error)") }
        lines.append("Nothing was changed.")
        return lines.joined(separator: "\n")
    }

    private func list(_ reviews: [BatchPreview.Review]) -> String {
        reviews.map { "line \($0.line): \($0.record)" }.joined(separator: "; ")
    }
}
