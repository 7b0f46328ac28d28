import Foundation

extension RequestBook {
    /// The certificates of every erasure run of request `id` (`R-2026-0001`, `R-2026-0001.2`,
    /// `R-2026-0001.replay-…`), in the order they were started.
    public func certificates(of id: String) async throws -> [ErasureCertificate] {
        _ = try await request(id)
        return try await ledger.erasureRuns(of: id).compactMap(\.certificate).map {
            try ErasureCertificate.read(from: Data($0.utf8))
        }
    }

    /// The Art. 19 notices owed for request `id`: the catalog's recipients of every collection its
    /// erasures deleted or masked rows of. Empty before an erasure ran.
    public func notices(of id: String, catalog: Catalog) async throws -> [ErasureNotice] {
        ErasureNotice.notices(for: try await certificates(of: id), catalog: catalog)
    }

    /// Whether `run` is one of request `id`'s runs (`id` itself, or `id.` followed by anything).
    static func isRun(_ run: String, of id: String) -> Bool {
        run == id || run.hasPrefix(id + ".")
    }
}
