/// Ground-truth view of one data subject (one `customers` row).
public struct Person: Sendable, Hashable {
    public let customerID: Int
    public let firstName: String
    public let lastName: String
    /// Normalised (trimmed, lower-case) e-mail: what the data subject types.
    public let email: String
    /// The e-mail exactly as stored in `customers.email` (possibly mixed case).
    public let storedEmail: String
    /// Mobile in E.164, nil when the customer gave no phone.
    public let mobile: String?
    /// The mobile exactly as stored in `customers.mobile` (messy format).
    public let storedMobile: String?
    public let city: String?
    /// Every phone (E.164) this person uses: their mobile first, then the caller
    /// numbers of their own calls, sorted.
    public let phones: [String]

    public var fullName: String { "\(firstName) \(lastName)" }
}
