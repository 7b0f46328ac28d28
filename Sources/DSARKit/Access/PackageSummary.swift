import Foundation

/// What ``AccessPackageWriter`` wrote.
public struct PackageSummary: Sendable, Encodable {
    /// The package file.
    public var path: String
    public var format: PackageFormat
    public var encrypted: Bool
    /// The package's size in bytes, and its SHA-256 (hex).
    public var size: Int64
    public var sha256: String
    public var requestID: String
    public var records: Int
    /// Files copied from file stores.
    public var files: Int
    /// Records per collection, in catalog order.
    public var collections: [PackageManifest.CollectionCount]
    /// Records of other people, and ambiguous ones, left out (counts only).
    public var withheld: Int
    /// The cover letter to send with the package, in the package's language (plain text).
    public var coverLetter: String

    enum CodingKeys: String, CodingKey {
        case path, format, encrypted, size, sha256, requestID, records, files, collections, withheld
    }
}
