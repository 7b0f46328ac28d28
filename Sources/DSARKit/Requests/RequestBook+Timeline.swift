extension RequestBook {
    /// The request's history from the audit chain: opened, verified, extended, forced, the
    /// erasure run's own entries, closed, replayed. Oldest first.
    public func timeline(of id: String) throws -> [AuditEntry] {
        _ = try request(id)
        return try ledger.auditEntries().filter { entry in
            guard let run = entry.runID else { return false }
            return run == id || run.hasPrefix(id + ".")
        }
    }
}
