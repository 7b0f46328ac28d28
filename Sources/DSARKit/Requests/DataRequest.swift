/// One data-subject request as the ledger keeps it: what was asked, by which channel, when it
/// is due, how identity was verified, and how it ended. The person's identifiers and the note
/// are not part of it: they are stored encrypted and read with ``RequestBook/subject(of:)``.
public struct DataRequest: Hashable, Sendable, Codable {
    /// `R-2026-0042`: the year it was opened and a sequence number.
    public var id: String
    public var kind: RequestKind
    public var channel: RequestChannel?
    public var deadline: Deadline
    public var status: RequestStatus
    /// How identity was verified (Art. 12(6)); `nil` while it is not.
    public var verification: String?
    /// Why the deadline was extended, when it was.
    public var extensionReason: String?
    /// Why it was refused, when it was (Art. 12(4)).
    public var rejectionReason: String?
    /// The answer: `package sha256:…` for an access, the erasure run (the request id) for an erasure.
    public var outcome: String?
    /// The erasure run in the ledger's journal (its certificate), for an erasure or consent withdrawal.
    public var runID: String?
    /// Whether the run was forced without verified identity.
    public var forced: Bool
    /// When it was opened and closed (ISO 8601, UTC).
    public var openedAt: String
    public var closedAt: String?

    public init(id: String, kind: RequestKind, channel: RequestChannel? = nil, deadline: Deadline, status: RequestStatus = .open,
                verification: String? = nil, extensionReason: String? = nil, rejectionReason: String? = nil,
                outcome: String? = nil, runID: String? = nil, forced: Bool = false, openedAt: String, closedAt: String? = nil) {
        self.id = id
        self.kind = kind
        self.channel = channel
        self.deadline = deadline
        self.status = status
        self.verification = verification
        self.extensionReason = extensionReason
        self.rejectionReason = rejectionReason
        self.outcome = outcome
        self.runID = runID
        self.forced = forced
        self.openedAt = openedAt
        self.closedAt = closedAt
    }

    public var isVerified: Bool { verification != nil }
    public var due: CalendarDay { deadline.due }
}
