extension RecordID {
    /// The record's name for logs and reports: collection and key, unless the key is itself
    /// personal data — a file pattern's path (it may hold a phone number), the values of a row
    /// of a collection without a key, or a key column holding emails or phone numbers. Those
    /// are named by a digest of the key instead.
    public func safeName(in catalog: Catalog) -> String {
        guard let declaration = catalog.collection(named: collection) else { return description }
        let digest = Record(columns: ["key"], values: [.text(key.description)]).digest.prefix(12)
        if declaration.pattern != nil { return "\(collection)[file \(digest)]" }
        let personal = declaration.key.isEmpty || declaration.key.contains { column in
            guard let type = declaration.identifierType(ofColumn: column) else { return false }
            return catalog.identifierType(named: type)?.kind != .opaque
        }
        return personal ? "\(collection)[row \(digest)]" : description
    }
}
