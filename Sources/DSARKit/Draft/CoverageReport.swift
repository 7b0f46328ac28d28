/// What `dsar check --coverage` found: columns outside the catalog whose sampled values look
/// like identifiers, and catalogued collections that no identifier or reference reaches.
public struct CoverageReport: Sendable, Hashable, Codable {
    /// A column holding identifiers that no collection names.
    public struct UnmappedColumn: Sendable, Hashable, Codable {
        public var store: String
        public var table: String
        public var column: String
        /// `email` or `phone`.
        public var kind: String
        /// `97% of 1,000 sampled values parse as phone numbers (TN)`.
        public var evidence: String
        /// Whether any collection reads the table at all.
        public var tableInCatalog: Bool
    }

    /// A collection discovery can never reach: no identifier of its own, no reference to or from a reachable one.
    public struct UnreachableCollection: Sendable, Hashable, Codable {
        public var collection: String
        public var store: String
    }

    /// Files of a folder store whose names hold identifiers that no collection covers, by shape.
    public struct UnmappedFiles: Sendable, Hashable, Codable {
        public var store: String
        /// The shape of their names, as a draft would write it (`voicemail/{phone}-{date}.wav`).
        public var pattern: String
        /// `phone`, `email`, or `key`: the keys of a catalogued table (`calls/{n1}.wav`, `calls.id`).
        public var kind: String
        /// `the name of each of 3 files holds a phone number (FR) here`.
        public var evidence: String
    }

    public var unmappedColumns: [UnmappedColumn]
    public var unmappedFiles: [UnmappedFiles] = []
    public var unreachableCollections: [UnreachableCollection]
    /// How many columns the catalog's `coverage.ignore` excused.
    public var ignoredColumns: Int
    /// How many files the folders of `coverage.ignore` excused.
    public var ignoredFiles: Int = 0

    /// Whether something unexplained holds identifiers (the command's exit status 1).
    public var hasUnmappedIdentifiers: Bool { !unmappedColumns.isEmpty || !unmappedFiles.isEmpty }

    /// One line per finding, naming store, table and column, never a value.
    public var lines: [String] {
        unmappedColumns.map { found in
            "\(found.store)/\(found.table).\(found.column): holds \(found.kind == "email" ? "email addresses" : "phone numbers") "
                + "outside the catalog (\(found.evidence))"
                + (found.tableInCatalog ? "" : "; no collection reads table '\(found.table)'")
        } + unmappedFiles.map {
            let what = ["phone": "phone numbers", "email": "email addresses"][$0.kind] ?? "keys of a catalogued table"
            return "\($0.store)/\($0.pattern): files whose names hold \(what), which no collection covers (\($0.evidence))"
        } + unreachableCollections.map {
            "\($0.store)/\($0.collection): no identifier or reference reaches collection '\($0.collection)'; discovery never finds its records"
        }
    }
}
