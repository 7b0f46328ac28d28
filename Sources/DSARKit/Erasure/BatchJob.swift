import Foundation

/// A batch of erasures as the ledger journals it (``BatchJournal``): the batch file's digest,
/// where its outcome file goes, and per subject its state. The subjects' identifiers are
/// only ever stored encrypted, and forgotten once the subject is done.
public struct BatchJob: Sendable {
    public struct Subject: Sendable {
        /// 0-based position in the batch.
        public var position: Int
        /// 1-based line number in the batch file.
        public var line: Int
        /// HMAC of the subject's identifiers (``MaskingKey/subjectDigest(_:)``).
        public var digest: String
        /// `pending`, `running` (``runID`` set), `done` or `failed` (``outcome`` set).
        public var state: String
        public var runID: String?
        public var outcome: BatchOutcome?
    }

    /// `batch-` and a UUID.
    public var id: String
    /// SHA-256 of the batch file's bytes.
    public var fileDigest: String
    /// The batch file, as the command named it (to tell the user what to run again).
    public var filePath: String
    /// Where the outcome file is written, one JSON line per subject.
    public var outcomesPath: String
    public var onlyBasis: LawfulBasis?
    public var subjects: [Subject]
}

extension BatchJob {
    /// What running (or resuming) a batch job came to.
    public struct Summary: Sendable {
        public var jobID: String
        public var filePath: String
        public var outcomesPath: String
        /// Subjects in the batch.
        public var total: Int
        public var completed = 0
        public var incomplete = 0
        public var failed = 0
        /// Of `completed`: subjects an earlier run of the same batch file had erased.
        public var alreadyErased = 0
        /// Subjects that could not be started: their identifiers could not be recovered from
        /// the ledger. Running the same batch file again erases them (and skips the others).
        public var neverStarted = 0

        mutating func count(_ outcome: BatchOutcome) {
            switch outcome.status {
            case "completed": completed += 1
            case "incomplete": incomplete += 1
            default: failed += 1
            }
            if outcome.alreadyErasedIn != nil { alreadyErased += 1 }
        }
    }
}
