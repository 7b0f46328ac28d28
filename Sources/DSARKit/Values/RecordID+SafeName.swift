extension RecordID {
    /// The record's name for logs and reports. Rows of a file-pattern collection are keyed by
    /// their path, which may hold a phone number, and rows of a collection without a key are
    /// named by all their values: both are named by a digest of their key instead.
    public func safeName(in catalog: Catalog) -> String {
        guard let declaration = catalog.collection(named: collection) else { return description }
        let digest = Record(columns: ["key"], values: [.text(key.description)]).digest.prefix(12)
        if declaration.pattern != nil { return "\(collection)[file \(digest)]" }
        if declaration.key.isEmpty { return "\(collection)[row \(digest)]" }
        return description
    }
}
