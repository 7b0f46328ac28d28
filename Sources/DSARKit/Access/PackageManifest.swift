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
    /// The part of the subject's data the request was about (`--only`, `--record`,
    /// `--between`), or absent for everything: a package of one call's recording says so here
    /// as its page does.
    public var scope: RequestScope? = nil

    /// The manifest's JSON: keys sorted, one record and one file per line, so the same package
    /// gives the same bytes.
    public func encoded() throws -> Data {
        var text = ""
        try Self.write(self, records: records, files: files) { text += $0 }
        return Data(text.utf8)
    }

    /// Writes the manifest of `head` with `records` and `files` in its place (the ones `head`
    /// holds are ignored), a piece at a time: a package's manifest is never whole in memory.
    static func write(_ head: PackageManifest, records: some Sequence<RecordEntry>, files: some Sequence<File>,
                      to emit: (String) throws -> Void) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        func json(_ value: some Encodable) throws -> String { String(decoding: try encoder.encode(value), as: UTF8.self) }
        func field(_ key: String, _ value: some Encodable, last: Bool = false) throws {
            try emit("  \"\(key)\" : \(try json(value))\(last ? "" : ",")\n")
        }
        func list<Element>(_ key: String, _ elements: some Sequence<Element>, _ encode: (Element) throws -> String) throws {
            try emit("  \"\(key)\" : [")
            var first = true
            for element in elements {
                try emit((first ? "\n    " : ",\n    ") + (try encode(element)))
                first = false
            }
            try emit("\n  ],\n")
        }
        // Keys in sorted order; PackageManifestTests checks this covers every property.
        try emit("{\n")
        try field("collections", head.collections)
        try field("encrypted", head.encrypted)
        try list("files", files, json)
        try field("generatedAt", head.generatedAt)
        try field("kind", head.kind)
        try field("language", head.language)
        try field("manifestVersion", head.manifestVersion)
        try field("problems", head.problems)
        try list("records", records, \.json)
        try field("requestID", head.requestID)
        if let scope = head.scope { try field("scope", scope) }
        try field("subject", head.subject)
        try field("tool", head.tool)
        try field("type", head.type, last: true)
        try emit("}\n")
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

extension PackageManifest.RecordEntry {
    /// The entry as compact JSON with sorted keys, as `JSONEncoder` with `.sortedKeys` and
    /// `.withoutEscapingSlashes` writes it (without its cost: a package has one per record).
    var json: String {
        typealias Encoder = RecordTableEncoder
        func object(_ key: [String: Value]) -> String {
            "{" + key.sorted { $0.key < $1.key }.map { "\(Encoder.jsonString($0.key)):\(Encoder.jsonValue($0.value))" }
                .joined(separator: ",") + "}"
        }
        let steps = provenance.map { step in
            var fields: [String] = []
            if let collection = step.collection { fields.append("\"collection\":\(Encoder.jsonString(collection))") }
            if let column = step.column { fields.append("\"column\":\(Encoder.jsonString(column))") }
            if let identifier = step.identifier { fields.append("\"identifier\":\(Encoder.jsonString(identifier))") }
            if let key = step.key { fields.append("\"key\":\(object(key))") }
            fields.append("\"kind\":\(Encoder.jsonString(step.kind))")
            return "{" + fields.joined(separator: ",") + "}"
        }
        return "{\"collection\":\(Encoder.jsonString(collection)),\"files\":[\(files.map(Encoder.jsonString).joined(separator: ","))]," +
            "\"key\":\(object(key)),\"provenance\":[\(steps.joined(separator: ","))],\"role\":\(Encoder.jsonString(role))}"
    }
}

extension PackageManifest {
    static func keyObject(_ key: RecordKey) -> [String: Value] {
        Dictionary(zip(key.columns, key.values), uniquingKeysWith: { first, _ in first })
    }
}
