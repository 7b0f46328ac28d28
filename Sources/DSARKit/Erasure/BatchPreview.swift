/// What erasing a whole batch would do, planned subject by subject without changing anything
/// (``Erasure/previewBatch(_:onlyBasis:plan:)``): the totals per collection, the records to
/// review, and the subjects nothing was found for. Subjects are named by their line in the
/// batch file, records by collection and key: it holds no identifier and no row contents.
public struct BatchPreview: Sendable, Codable {
    /// Rows and files of one collection, summed over every subject of the batch.
    public struct CollectionTotals: Sendable, Codable, Hashable {
        public var collection: String
        public var store: String
        public var delete = 0
        public var mask = 0
        public var hold = 0
        public var retain = 0
        /// Parents that other people's rows also reference: kept.
        public var keepShared = 0
        /// Rows a kept row still references: kept.
        public var keepReferenced = 0
        /// Rows of another lawful basis (or outside the request's scope): left alone.
        public var outOfScope = 0
        /// Rows kept because their linked file is missing or unreadable.
        public var blocked = 0
        public var deleteFiles = 0
        public var keepFiles = 0

        public init(collection: String, store: String) {
            self.collection = collection
            self.store = store
        }

        public var isEmpty: Bool {
            [delete, mask, hold, retain, keepShared, keepReferenced, outOfScope, blocked, deleteFiles, keepFiles].allSatisfy { $0 == 0 }
        }

        mutating func add(_ erasure: CollectionErasure) {
            delete += erasure.deleted.count
            mask += erasure.masked.count
            hold += erasure.held.count
            retain += erasure.retained.count
            keepShared += erasure.shared.count
            keepReferenced += erasure.kept.count
            outOfScope += erasure.outOfScope.count
            blocked += erasure.blocked.count
            deleteFiles += erasure.files.count
            keepFiles += erasure.keptFiles.count
        }
    }

    /// A record never touched (another person's, or one to review), and the subject's line.
    public struct Review: Sendable, Codable, Hashable {
        public var line: Int
        /// The record, by collection and key, or by a digest when the key is personal data
        /// (``RecordID/safeName(in:)``).
        public var record: String

        public init(line: Int, record: String) {
            self.line = line
            self.record = record
        }
    }

    /// A subject that could not be planned: its line and why (no personal data).
    public struct Failure: Sendable, Codable, Hashable {
        public var line: Int
        public var error: String
    }

    /// One subject's plan, as ``Erasure/previewBatch(_:onlyBasis:plan:)`` hands it over.
    public struct SubjectPlan: Sendable {
        /// 1-based line number in the batch file.
        public var line: Int
        /// HMAC of the subject's identifiers (``MaskingKey/subjectDigest(_:)``), as a batch job names it.
        public var subjectDigest: String
        public var plan: ErasurePlan
    }

    /// Subjects in the batch.
    public var subjects = 0
    /// Subjects planned (the others are in ``failed``).
    public var planned = 0
    /// Per collection, in catalog order; collections with nothing for any subject are left out.
    public var collections: [CollectionTotals] = []
    public var conflicts: [Review] = []
    public var ambiguous: [Review] = []
    /// Lines of the subjects for whom no record was found.
    public var nothingFound: [Int] = []
    public var failed: [Failure] = []

    public init() {}

    mutating func add(_ plan: ErasurePlan, line: Int, conflicts: [String], ambiguous: [String]) {
        planned += 1
        for erasure in plan.collections where !erasure.isEmpty {
            if let index = collections.firstIndex(where: { $0.collection == erasure.collection }) {
                collections[index].add(erasure)
            } else {
                var totals = CollectionTotals(collection: erasure.collection, store: erasure.store)
                totals.add(erasure)
                collections.append(totals)
            }
        }
        self.conflicts += conflicts.map { Review(line: line, record: $0) }
        self.ambiguous += ambiguous.map { Review(line: line, record: $0) }
        if plan.collections.allSatisfy(\.isEmpty) { nothingFound.append(line) }
    }
}
