/// A first catalog written from live stores: every table a collection, every declared foreign
/// key a reference, identifier columns found by sampling, likely undeclared references marked
/// as guesses, and the Art. 15 texts left `TODO` for the privacy officer.
///
/// Sampled values are only counted: the draft, its YAML and its JSON hold shares, never values.
public struct CatalogDraft: Sendable, Codable {
    /// A store the draft reads, as the catalog will declare it.
    public struct Store: Sendable, Hashable, Codable {
        public var name: String
        /// `sqlite`, `postgres`, `files` or `s3`.
        public var type: String
        /// The SQLite path, PostgreSQL URL, folder or `s3://bucket/prefix`, as given.
        public var location: String
        /// Further settings of the declaration (`passwordEnv`, `schema`; a bucket's `endpoint`,
        /// `bucket`, `prefix`, `region`, `pathStyle` and the names of its credentials' environment
        /// variables: it is declared by these alone).
        public var settings: [String: String]

        public init(name: String, type: String, location: String, settings: [String: String] = [:]) {
            self.name = name
            self.type = type
            self.location = location
            self.settings = settings
        }
    }

    /// A column found to hold identifiers.
    public struct Identifier: Sendable, Hashable, Codable {
        public var column: String
        /// The catalog identifier type it holds (`email`, `phone`, `customer_id`).
        public var type: String
        /// Why: the sampling share, or the guess that made it.
        public var evidence: String
        public var isGuess: Bool
        /// The regular expression the identifier is read with, inside the column's text (caller ids).
        public var extract: String? = nil
    }

    /// A reference from a column to a collection's column.
    public struct Reference: Sendable, Hashable, Codable {
        /// A polymorphic reference's condition: it applies where `column` holds `value` (a table or class name).
        public struct Condition: Sendable, Hashable, Codable {
            public var column: String
            public var value: String
        }

        public var column: String
        public var targetCollection: String
        public var targetColumn: String
        public var evidence: String
        public var isGuess: Bool
        /// For one target of a polymorphic pair (`sender_type`/`sender_id`): the rows it applies to.
        public var when: Condition? = nil
    }

    /// The files a table's rows link: a column holding paths of a folder store, or a path built from columns.
    public struct Files: Sendable, Hashable, Codable {
        public var store: String
        public var column: String?
        /// A path template (`monitor/{calldate:yyyy}/{calldate:MM}/{calldate:dd}/{recordingfile}`).
        public var path: String?
        public var evidence: String
        public var isGuess: Bool
    }

    /// One table, or one shape of file names of a folder store, drafted as a collection.
    public struct Collection: Sendable, Hashable, Codable {
        public var name: String
        public var store: String
        /// The table; empty for a pattern collection.
        public var table: String
        public var key: [String]
        public var identifiers: [Identifier]
        public var references: [Reference]
        /// What the draft could not express (composite or self references), for the officer to review.
        public var notes: [String]
        /// For files of a folder store: the pattern their names match (`recordings/{phone}-{date}.wav`).
        public var pattern: String? = nil
        public var files: Files? = nil
        /// For a pattern collection: the file beside each file whose `key=value` lines name its caller.
        public var sidecar: Sidecar? = nil
    }

    /// The text file beside each file of a pattern collection (Asterisk's `msg0000.txt`), and the
    /// fields of it the draft found identifiers in.
    public struct Sidecar: Sendable, Hashable, Codable {
        /// `msg{n1}.txt`, with the pattern's placeholders.
        public var file: String
        public var fields: [String]
    }

    public var stores: [Store]
    public var collections: [Collection]
    /// Regions national phone numbers were read in.
    public var regions: [String]
    public var sampleSize: Int

    /// The identifier types the collections use, in a stable order.
    public var identifierTypes: [String] {
        let used = Set(collections.flatMap { $0.identifiers.map(\.type) })
        let known = ["email", "phone"].filter(used.contains)
        return known + used.subtracting(known).sorted()
    }
}
