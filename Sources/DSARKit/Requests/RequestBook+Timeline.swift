extension RequestBook {
    /// The request's history from the audit chain: opened, verified, extended, forced, the
    /// erasure run's own entries, closed, replayed. Oldest first.
    public func timeline(of id: String) async throws -> [AuditEntry] {
        _ = try await request(id)
        return try await ledger.auditEntries().filter { entry in
            guard let run = entry.runID else { return false }
            return Self.isRun(run, of: id)
        }
    }
}
