import Foundation

extension RequestBook {
    /// Deletes the encrypted identifiers and notes of requests closed before `day` (the end of
    /// your accountability period). The requests, their audit entries, certificates and
    /// suppression HMACs stay; their erasures can no longer be replayed. Returns the ids purged.
    @discardableResult
    public func purgeIdentifiers(closedBefore day: CalendarDay) async throws -> [String] {
        let at = now()
        let cutoff = ISO8601.timestamp(day.date)
        // A closed request never changes again, so what is chosen here is still closed when purged.
        let ids = try await ledger.allRequests()
            .filter { [.completed, .rejected, .cancelled].contains($0.status) && ($0.closedAt ?? cutoff) < cutoff }
            .map(\.id).sorted { Self.sequence(of: $0) < Self.sequence(of: $1) }
        guard !ids.isEmpty else { return [] }
        return try await ledger.purgeIdentifiers(of: ids) { _ in
            RequestAuditEntry(event: "request.purged",
                              detail: "identifiers and note deleted (closed before \(day)); the erasure can no longer be replayed", at: at)
        }
    }

    /// The sequence number of `R-2026-0042` (42): the order requests were opened in.
    static func sequence(of id: String) -> Int {
        Int(id.split(separator: "-").last ?? "") ?? Int.max
    }
}
