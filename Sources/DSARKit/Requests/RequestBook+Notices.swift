import Foundation
import GRDB

extension RequestBook {
    /// The certificates of every erasure run of request `id` (`R-2026-0001`, `R-2026-0001.2`,
    /// `R-2026-0001.replay-…`), in the order they were started.
    public func certificates(of id: String) throws -> [ErasureCertificate] {
        _ = try request(id)
        let texts = try ledger.read { db in
            try String.fetchAll(db, sql: """
                SELECT certificate FROM runs WHERE (id = ? OR id LIKE ? ESCAPE '\\') AND certificate IS NOT NULL
                ORDER BY rowid
                """, arguments: [id, Self.likePrefix(id) + ".%"])
        }
        return try texts.map { try ErasureCertificate.read(from: Data($0.utf8)) }
    }

    /// The Art. 19 notices owed for request `id`: the catalog's recipients of every collection its
    /// erasures deleted or masked rows of. Empty before an erasure ran.
    public func notices(of id: String, catalog: Catalog) throws -> [ErasureNotice] {
        ErasureNotice.notices(for: try certificates(of: id), catalog: catalog)
    }

    static func likePrefix(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_")
    }
}
