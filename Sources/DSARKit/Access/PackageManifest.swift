import Foundation

/// `manifest.json`: what a package holds and how to check it. Written last into the package;
/// ``PackageVerifier`` reads it back and compares every entry with it.
public struct PackageManifest: Codable, Sendable, Hashable {
    /// One file of the package (every entry but the manifest itself).
    public struct File: Codable, Sendable, Hashable {
        public var path: String
        public var size: Int64
        public var sha256: String
    }

    /// How many records of one collection the package holds.
    public struct CollectionCount: Codable, Sendable, Hashable {
        public var collection: String
        public var records: Int
        public var files: Int
    }

    /// One record: where it came from, why it is the subject's, and its files in the package.
    public struct RecordEntry: Codable, Sendable, Hashable {
        public var collection: String
        public var key: [String: Value]
        public var role: String
        public var provenance: [Step]
        public var files: [String]
    }

    /// One link of a record's provenance chain (see ``ProvenanceStep``).
    public struct Step: Codable, Sendable, Hashable {
        public var kind: String
        public var identifier: String?
        public var collection: String?
        public var key: [String: Value]?
        public var column: String?
    }

    /// An item discovery could not retrieve (the package was written with ``AccessPackageOptions/allowIncomplete``).
    public struct Problem: Codable, Sendable, Hashable {
        public var collection: String
        public var key: [String: Value]
        public var message: String
    }

    /// The tool that wrote the package.
    public struct Tool: Codable, Sendable, Hashable {
        public var name: String
        public var version: String
        public var libarchive: String
    }

    /// Always `dsarkit-access-package`.
    public var type: String
    public var manifestVersion: Int
    public var requestID: String
    /// `access` (Art. 15) or `portability` (Art. 20).
    public var kind: String
    /// ISO 8601, UTC.
    public var generatedAt: String
    public var tool: Tool
    public var language: String
    /// The identifiers of the request, as given.
    public var subject: [String]
    public var encrypted: Bool
    public var collections: [CollectionCount]
    public var records: [RecordEntry]
    /// Items that could not be retrieved; empty for a complete package.
    public var problems: [Problem]
    public var files: [File]

    /// The manifest's JSON: sorted keys, so the same package gives the same bytes.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(self)
        data.append(0x0A)
        return data
    }

    public static let entryPath = "manifest.json"
    public static let typeName = "dsarkit-access-package"
}

extension PackageManifest.Step {
    init(_ step: ProvenanceStep) {
        kind = step.kind.rawValue
        identifier = step.identifier?.description
        collection = step.record?.collection
        key = step.record.map { PackageManifest.keyObject($0.key) }
        column = step.column
    }
}

extension PackageManifest {
    static func keyObject(_ key: RecordKey) -> [String: Value] {
        Dictionary(zip(key.columns, key.values), uniquingKeysWith: { first, _ in first })
    }
}
