/// Everything found about one data subject, and what was kept out and why.
public struct DiscoveryResult: Sendable, Encodable {
    /// The identifiers the request named.
    public var subject: DataSubject
    /// Every identifier known at the end (named or revealed), with how it became known.
    public var identifiers: [KnownIdentifier]
    /// The subject's records, ordered by collection (catalog order) and key.
    public var records: [FoundRecord]
    /// Files that belong to the subject's records, or that are records of a pattern collection.
    public var files: [FoundFile]
    /// Records that belong to someone else, reached while searching. Never included.
    public var conflicts: [ExcludedRecord]
    /// Records found only through a shared identifier that another person also uses.
    /// Never included; a person should review them.
    public var ambiguous: [ExcludedRecord]
    /// Things that could not be done (a linked file missing, a path leading outside its root).
    public var problems: [DiscoveryProblem]

    /// The records of one collection.
    public func records(in collection: String) -> [FoundRecord] {
        records.filter { $0.id.collection == collection }
    }

    enum CodingKeys: String, CodingKey { case subject, identifiers, records, files, conflicts, ambiguous, problems }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(subject.identifiers.map(\.description), forKey: .subject)
        try container.encode(identifiers, forKey: .identifiers)
        try container.encode(records, forKey: .records)
        try container.encode(files, forKey: .files)
        try container.encode(conflicts, forKey: .conflicts)
        try container.encode(ambiguous, forKey: .ambiguous)
        try container.encode(problems, forKey: .problems)
    }
}

/// An identifier of the subject and the chain that made it known.
public struct KnownIdentifier: Sendable, Hashable, Encodable {
    public var identifier: SubjectIdentifier
    public var provenance: [ProvenanceStep]

    enum CodingKeys: String, CodingKey { case identifier, provenance }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(identifier.description, forKey: .identifier)
        try container.encode(provenance, forKey: .provenance)
    }
}

/// A record of the subject.
public struct FoundRecord: Sendable, Hashable, Encodable {
    public enum Role: String, Sendable, Encodable {
        /// The subject's own record.
        case owned
        /// A record the subject's records point at (an address, a product): included because
        /// it describes the subject's data, but not searched further.
        case referenced
    }

    public var id: RecordID
    /// The record as discovery read it: every column, or only its link columns when
    /// discovery ran with ``Discovery/RecordContents/linkColumns``.
    public var record: Record
    public var role: Role
    /// From a named identifier to this record.
    public var provenance: [ProvenanceStep]

    enum CodingKeys: String, CodingKey { case collection, key, role, provenance }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id.collection, forKey: .collection)
        try container.encode(id.key, forKey: .key)
        try container.encode(role, forKey: .role)
        try container.encode(provenance, forKey: .provenance)
    }
}

/// A file of the subject.
public struct FoundFile: Sendable, Hashable, Encodable {
    public var store: String
    public var path: String
    /// The collection of the record it belongs to.
    public var collection: String
    /// The record it belongs to.
    public var record: RecordKey
    public var size: Int64

    enum CodingKeys: String, CodingKey { case store, path, collection, key, size }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(store, forKey: .store)
        try container.encode(path, forKey: .path)
        try container.encode(collection, forKey: .collection)
        try container.encode(record, forKey: .key)
        try container.encode(size, forKey: .size)
    }
}

/// A record kept out of the result, named by collection and key only.
public struct ExcludedRecord: Sendable, Hashable, Encodable {
    public var id: RecordID
    /// The subject's identifier through which it was reached.
    public var identifier: SubjectIdentifier?
    /// Why it was kept out, without personal data.
    public var reason: String

    enum CodingKeys: String, CodingKey { case collection, key, identifier, reason }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id.collection, forKey: .collection)
        try container.encode(id.key, forKey: .key)
        try container.encodeIfPresent(identifier?.description, forKey: .identifier)
        try container.encode(reason, forKey: .reason)
    }
}

/// Something discovery could not do for one record.
public struct DiscoveryProblem: Sendable, Hashable, Encodable {
    public var record: RecordID
    public var message: String

    enum CodingKeys: String, CodingKey { case collection, key, message }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(record.collection, forKey: .collection)
        try container.encode(record.key, forKey: .key)
        try container.encode(message, forKey: .message)
    }
}
