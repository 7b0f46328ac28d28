/// The result of one subject of a batch, as written to the outcome file (JSON Lines). It
/// names the subject by line number and request id only.
public struct BatchOutcome: Sendable, Codable {
    public var line: Int
    public var requestID: String?
    /// `completed`, `incomplete` or `failed`.
    public var status: String
    public var deleted: Int
    public var masked: Int
    public var held: Int
    public var filesDeleted: Int
    public var error: String?
    /// Set when the subject was not erased again because an earlier run of the same batch
    /// file already did (the counts and request id are that erasure's): the batch's id.
    public var alreadyErasedIn: String?
}
