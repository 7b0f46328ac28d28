/// What the person asks for.
public enum RequestKind: String, Sendable, Codable, CaseIterable {
    /// A copy of their data and the Art. 15(1) information.
    case access
    /// The data they provided, machine-readable (Art. 20).
    case portability
    /// Erasure (Art. 17).
    case erasure
    /// Withdrawal of consent (Art. 7(3)): the rows held on the basis of consent are erased.
    case consentWithdrawal = "consent-withdrawal"

    /// Whether running it erases data (and so puts the person on the suppression list).
    public var erases: Bool { self == .erasure || self == .consentWithdrawal }
}
