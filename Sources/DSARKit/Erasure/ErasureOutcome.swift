/// What an erasure did, and whether verification found the subject gone.
public struct ErasureOutcome: Sendable {
    public var plan: ErasurePlan
    public var certificate: ErasureCertificate
    /// What verification still found, by collection and key; empty when complete.
    public var residue: [String]
    /// Whether a resumed run was re-planned because the data had changed.
    public var replanned: Bool
    public var isComplete: Bool { residue.isEmpty }
}
