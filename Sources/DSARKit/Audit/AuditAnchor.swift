import Foundation

/// The newest audit entry the ledger has seen (`audit.head` beside the ledger database): its
/// sequence number and hash. The hash chain alone cannot show that its newest entries were cut
/// off; the anchor, kept outside the database, can. It only ever moves forward, and may lag one
/// entry behind after a crash (it is written after the entry commits), which is never reported.
struct AuditAnchor {
    let url: URL

    init(folder: URL) {
        url = folder.appendingPathComponent("audit.head")
    }

    /// The anchored sequence number and hash, if any.
    var current: (sequence: Int64, hash: String)? {
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return nil }
        let parts = text.split(separator: " ")
        guard parts.count == 2, let sequence = Int64(parts[0]) else { return nil }
        return (sequence, String(parts[1]).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Moves the anchor to `sequence` unless it is already there or beyond.
    func advance(to sequence: Int64, hash: String) {
        if let current, current.sequence >= sequence { return }
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".audit.head.\(getpid())")
        guard (try? "\(sequence) \(hash)\n".write(to: temporary, atomically: false, encoding: .utf8)) != nil else { return }
        if rename(temporary.path, url.path) != 0 { try? FileManager.default.removeItem(at: temporary) }
    }

    /// What the entries contradict in the anchor: fewer entries than it saw, or a different one.
    func problems(with entries: [AuditEntry]) -> [String] {
        guard let current else { return [] }
        guard let anchored = entries.first(where: { $0.sequence == current.sequence }) else {
            let newest = entries.last?.sequence ?? 0
            return ["the log ends at entry \(newest), but entry \(current.sequence) was written (the newest entries were removed)"]
        }
        return anchored.hash == current.hash ? [] : ["entry \(current.sequence) is not the entry that was written there"]
    }
}
