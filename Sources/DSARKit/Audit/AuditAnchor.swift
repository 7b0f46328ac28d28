import Foundation

/// The newest audit entry the ledger has seen: its sequence number, hash, and a seal of both
/// with the ledger's ``AuditKey`` (`seq hash seal`). The hash chain alone cannot show that
/// its newest entries were cut off; the anchor, kept outside the entries, can, and without
/// the key it cannot be rewritten to match a shortened log. The SQLite ledger keeps it in
/// `audit.head` beside its database; the shared PostgreSQL ledger in its `meta` table.
/// It only ever moves forward, and may lag one entry behind after a crash (it is written
/// after the entry commits), which is never reported.
struct AuditAnchor {
    let url: URL

    init(folder: URL) {
        url = folder.appendingPathComponent("audit.head")
    }

    /// The text of `audit.head`, if the file exists.
    var text: String? { try? String(contentsOf: url, encoding: .utf8) }

    /// Moves the anchor to `sequence` unless it is already there or beyond.
    func advance(to sequence: Int64, hash: String, key: AuditKey) {
        if let current = text.flatMap(Self.sequence), current >= sequence { return }
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".audit.head.\(getpid())")
        guard (try? PrivateFile.create(Data(Self.text(sequence: sequence, hash: hash, key: key).utf8), at: temporary)) != nil else { return }
        if rename(temporary.path, url.path) != 0 { try? FileManager.default.removeItem(at: temporary) }
    }

    /// The anchor of entry `sequence` with `hash`, sealed.
    static func text(sequence: Int64, hash: String, key: AuditKey) -> String {
        "\(sequence) \(hash) \(seal(sequence: sequence, hash: hash, key: key))\n"
    }

    static func seal(sequence: Int64, hash: String, key: AuditKey) -> String {
        key.seal(["audit.head", String(sequence), hash].joined(separator: "\u{1f}"))
    }

    static func sequence(_ text: String) -> Int64? {
        text.split(whereSeparator: \.isWhitespace).first.flatMap { Int64($0) }
    }

    /// What the anchor `text` (nil: missing) and the entries say against each other: a
    /// missing or forged anchor, fewer entries than it saw, or a different one. An anchor an
    /// older DSARKit wrote (`seq hash`, unsealed) is accepted only for an unsealed entry.
    static func problems(_ text: String?, entries: [AuditEntry], key: AuditKey?, name: String) -> [String] {
        guard let text else {
            return entries.isEmpty ? [] : ["\(name), the anchor of the newest entry, is missing: the newest entries may have been removed with it"]
        }
        let parts = text.split(whereSeparator: \.isWhitespace).map(String.init)
        guard parts.count == 2 || parts.count == 3, let sequence = Int64(parts[0]) else { return ["\(name) is unreadable"] }
        let hash = parts[1]
        let anchored = entries.first { $0.sequence == sequence }
        if parts.count == 3 {
            guard let key, parts[2] == seal(sequence: sequence, hash: hash, key: key) else {
                return ["\(name) is not sealed with this ledger's key: it was rewritten, or comes from another ledger"]
            }
        } else if let anchored, let key, anchored.hash == anchored.sealedHash(key) {
            return ["\(name) is an older unsealed anchor naming a sealed entry: it was rewritten"]
        }
        guard let anchored else {
            let newest = entries.last?.sequence ?? 0
            return ["the log ends at entry \(newest), but entry \(sequence) was written (the newest entries were removed)"]
        }
        return anchored.hash == hash ? [] : ["entry \(sequence) is not the entry that was written there"]
    }
}
