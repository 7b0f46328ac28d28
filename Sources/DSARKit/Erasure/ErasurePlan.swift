/// What an erasure will do for one data subject: per collection, the rows to delete, mask,
/// hold, retain or keep as shared; the files to delete; and the ordered steps that do it.
///
/// A plan is made by ``ErasurePlanner`` from a discovery and changes nothing by itself.
/// It is written to the ``Ledger`` before the first change, so a killed run can be resumed.
public struct ErasurePlan: Sendable, Codable {
    public var requestID: String
    /// When the plan was made (ISO 8601, UTC).
    public var createdAt: String
    /// Only rows with this lawful basis are erased (`consent`: withdrawal of consent).
    public var onlyBasis: LawfulBasis?
    /// Only the records this scope selects (and the records under them) are erased; `nil`: all.
    public var scope: RequestScope? = nil
    /// What the scope took, per collection, without personal data (see ``ScopeStatement``).
    public var scopeStatement: ScopeStatement? = nil
    /// For a retention sweep (``RetentionSweep``): the rules and cutoffs it applied; `nil` for a
    /// subject's erasure. A sweep names no subject (``requested`` and ``identifiers`` are empty).
    public var retention: RetentionStatement? = nil
    /// The identifiers the request named (the certificate carries their HMAC). Purged from
    /// the journal with the rest of the plan.
    public var requested: [SubjectIdentifier]
    /// The identifiers erasure covers (named and revealed). Kept in the journal (as
    /// `type:value`) only while the run is unfinished, to verify and re-plan: read back exactly,
    /// never re-parsed; never in the audit log or the certificate.
    public var identifiers: [SubjectIdentifier]
    /// Per collection, in catalog order.
    public var collections: [CollectionErasure]
    /// In execution order: children before parents, files before the rows pointing at them.
    public var steps: [ErasureStep]
    /// Records of other people reached on the way, and records for review: never touched.
    public var conflicts: [String]
    public var ambiguous: [String]

    public func collection(_ name: String) -> CollectionErasure? {
        collections.first { $0.collection == name }
    }
}

/// What erasure does with one collection's rows of the subject.
public struct CollectionErasure: Sendable, Codable {
    public var collection: String
    public var store: String
    /// Keys (`id=3`) of rows to delete.
    public var deleted: [String] = []
    /// Keys of rows whose columns are masked, and how.
    public var masked: [String] = []
    public var masks: [String: String] = [:]
    /// Rows under a hold (Art. 17(3)): never touched.
    public var held: [HeldRow] = []
    /// Rows kept as they are, and why.
    public var retained: [String] = []
    public var retainReason: String?
    /// Parents that other people's rows also reference: kept, not changed.
    public var shared: [String] = []
    /// Rows left alone because their lawful basis is not the one being withdrawn, or because
    /// the request's scope does not select them.
    public var outOfScope: [String] = []
    /// Rows of the subject that a row the plan keeps still references (a customer whose call
    /// is held): kept, and why.
    public var kept: [KeptRow] = []
    /// Files to delete (of deleted rows, or the rows of a file-pattern collection).
    public var files: [PlannedFile] = []
    /// Files of deleted rows that a row the plan keeps (or another person's row) still links:
    /// kept, named by the deleted row's key.
    public var keptFiles: [KeptRow] = []
    /// Rows to delete whose linked file is missing or cannot be read: kept (they are the only
    /// pointer to a recording that may sit elsewhere), and the erasure is incomplete.
    public var blocked: [String] = []

    public init(collection: String, store: String) {
        self.collection = collection
        self.store = store
    }

    public var isEmpty: Bool {
        deleted.isEmpty && masked.isEmpty && held.isEmpty && retained.isEmpty && shared.isEmpty
            && outOfScope.isEmpty && files.isEmpty && kept.isEmpty && keptFiles.isEmpty && blocked.isEmpty
    }
}

extension CollectionErasure {
    enum CodingKeys: String, CodingKey {
        case collection, store, deleted, masked, masks, held, retained, retainReason, shared, outOfScope, kept, files, keptFiles, blocked
    }

    /// Reads plans journaled before a field existed (an absent list is empty).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func list<T: Decodable>(_ key: CodingKeys) throws -> [T] { try container.decodeIfPresent([T].self, forKey: key) ?? [] }
        collection = try container.decode(String.self, forKey: .collection)
        store = try container.decode(String.self, forKey: .store)
        deleted = try list(.deleted)
        masked = try list(.masked)
        masks = try container.decodeIfPresent([String: String].self, forKey: .masks) ?? [:]
        held = try list(.held)
        retained = try list(.retained)
        retainReason = try container.decodeIfPresent(String.self, forKey: .retainReason)
        shared = try list(.shared)
        outOfScope = try list(.outOfScope)
        kept = try list(.kept)
        files = try list(.files)
        keptFiles = try list(.keptFiles)
        blocked = try list(.blocked)
    }
}

/// A row (or a deleted row's file) the plan keeps because something kept still points at it.
public struct KeptRow: Sendable, Codable, Hashable {
    public var key: String
    /// `still referenced by calls[id=10]`, named by collection and key only.
    public var reason: String
    public init(key: String, reason: String) {
        self.key = key
        self.reason = reason
    }
}

/// A row kept under a legal hold.
public struct HeldRow: Sendable, Codable, Hashable {
    public var key: String
    public var reason: String
    /// The hold's date, when it is a date column.
    public var until: String?
    /// The held row this one is under (`customers[id=1]`), when the hold is the parent's.
    public var under: String?
    public init(key: String, reason: String, until: String? = nil, under: String? = nil) {
        self.key = key
        self.reason = reason
        self.until = until
        self.under = under
    }
}

/// A file erasure deletes.
public struct PlannedFile: Sendable, Codable, Hashable {
    public var store: String
    public var path: String
    /// The key of the row it belongs to.
    public var key: String
    /// Versions and delete markers of the file a ``VersionedFileStore`` holds, all deleted
    /// with it; `nil` for a store without versions.
    public var versions: Int?
}
