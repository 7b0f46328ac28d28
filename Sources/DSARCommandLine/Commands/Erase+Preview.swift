import DSARKit
import Foundation

extension DSAR.Erase {
    /// `--batch F --dry-run`: plans every subject, prints the totals, changes nothing.
    func previewBatch(_ erasure: Erasure, catalog: Catalog, path: String, basis: LawfulBasis?) async throws {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw Failure.Message("cannot read the batch file \(path)")
        }
        let batch = try ErasureBatch(text: text, catalog: catalog)
        var plans = Data()
        let preview = try await erasure.previewBatch(batch, onlyBasis: basis) { subject in
            guard planOut != nil else { return }
            plans.append(try JSONOutput.line(PlannedSubject(subject)))
        }
        if let planOut { try PrivateFile.write(plans, to: URL(fileURLWithPath: planOut)) }
        print(json ? try JSONOutput.text(preview) : BatchPreviewSummary(preview: preview).text)
        if !preview.failed.isEmpty { throw Failure.Message("\(preview.failed.count) subject(s) could not be planned") }
    }
}

/// One line of a batch preview's plans file: the subject by line and digest, and its plan
/// without the identifiers it names.
struct PlannedSubject: Encodable {
    let line: Int
    let subject: String
    let plan: ErasurePlan

    init(_ planned: BatchPreview.SubjectPlan) {
        line = planned.line
        subject = planned.subjectDigest
        var plan = planned.plan
        plan.requested = []
        plan.identifiers = []
        self.plan = plan
    }
}
