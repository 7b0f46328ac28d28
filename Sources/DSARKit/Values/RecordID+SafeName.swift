extension RecordID {
    /// The record's name for logs and reports. Rows of a file-pattern collection are keyed by
    /// their path, which may hold a phone number: they are named by a digest of it instead.
    public func safeName(in catalog: Catalog) -> String {
        guard catalog.collection(named: collection)?.pattern != nil else { return description }
        return "\(collection)[file \(Record(columns: ["key"], values: [.text(key.description)]).digest.prefix(12))]"
    }
}
