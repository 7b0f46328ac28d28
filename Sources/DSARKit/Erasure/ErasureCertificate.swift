import Crypto
import Foundation

/// Proof that an erasure ran: what was deleted, masked and held, whom to notify (Art. 19),
/// and whether verification found the subject gone, signed with Ed25519. It holds no
/// personal data: the subject is named by an HMAC of their identifiers.
public struct ErasureCertificate: Sendable, Codable, Hashable {
    public struct CollectionCounts: Sendable, Codable, Hashable {
        public var collection: String
        public var deleted: Int
        public var masked: Int
        public var held: Int
        public var retained: Int
        public var shared: Int
    }

    public struct Hold: Sendable, Codable, Hashable {
        public var collection: String
        public var reason: String
        public var until: String?
        public var rows: Int
    }

    public var format = "dsarkit-erasure-certificate/1"
    public var requestID: String
    public var issuedAt: String
    public var controller: String
    /// `full`, or `consent` (only rows whose lawful basis is consent); `selected` (or
    /// `selected+consent`) when the request named part of the subject's data.
    public var scope: String
    /// For a scoped request, what it took: per collection, how many records and their days.
    public var scopeStatement: ScopeStatement?
    /// For a retention sweep (scope `retention`): per collection, the rule, the cutoff day and
    /// how many rows were past it; absent for a subject's erasure.
    public var retention: RetentionStatement?
    /// HMAC-SHA256 (the ledger's masking key) of the identifiers the request named, sorted
    /// and joined by newlines: whoever holds the key and the request can recompute it.
    public var subjectDigest: String
    public var collections: [CollectionCounts]
    public var filesDeleted: Int
    /// Versions and delete markers deleted with those files, when a store keeps versions (an
    /// S3 bucket with versioning): absent otherwise.
    public var fileVersionsDeleted: Int?
    public var holds: [Hold]
    /// Recipients named by the catalog for the collections touched (Art. 19).
    public var recipients: [String]
    /// `complete`, or `incomplete` when verification still found data to erase; for a scoped
    /// request `complete for the scope` (the selected records are gone, the others were not asked for).
    public var verification: String
    /// The audit log's newest hash when the certificate was issued.
    public var auditHead: String
    /// The signer's Ed25519 public key, base64.
    public var publicKey: String
    /// Ed25519 signature (base64) over the certificate without this field, encoded as
    /// JSON with sorted keys.
    public var signature: String

    /// The bytes the signature covers.
    public func signedBytes() throws -> Data {
        var unsigned = self
        unsigned.signature = ""
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(unsigned)
    }

    /// Signs it in place.
    public mutating func sign(with key: Curve25519.Signing.PrivateKey) throws {
        publicKey = key.publicKey.rawRepresentation.base64EncodedString()
        signature = try key.signature(for: signedBytes()).base64EncodedString()
    }

    /// Checks the signature, against `trusted` when given (else the embedded key).
    public func verifySignature(trusting trusted: Curve25519.Signing.PublicKey? = nil) throws {
        guard let embedded = Data(base64Encoded: publicKey), let signatureData = Data(base64Encoded: signature) else {
            throw DSARError(.signatureInvalid, "the certificate has no readable signature")
        }
        if let trusted, trusted.rawRepresentation != embedded {
            throw DSARError(.signatureInvalid, "the certificate was signed with a different key than the one trusted")
        }
        let key = try trusted ?? Curve25519.Signing.PublicKey(rawRepresentation: embedded)
        guard key.isValidSignature(signatureData, for: try signedBytes()) else {
            throw DSARError(.signatureInvalid, "the signature does not match the certificate's contents: it was altered or forged")
        }
    }

    /// Pretty JSON, as written to `--certificate`.
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    /// Reads a certificate in exactly the form ``json()`` writes it, followed by at most one
    /// newline. Anything else is refused, even when its signature would check: a duplicated
    /// field (JSON readers disagree on which one counts), a field the signature does not
    /// cover, or any byte outside the signed content (whitespace, comments, a second document).
    public static func read(from data: Data) throws -> ErasureCertificate {
        let certificate: ErasureCertificate
        do {
            certificate = try JSONDecoder().decode(ErasureCertificate.self, from: data)
        } catch {
            throw DSARError(.signatureInvalid, "this is not an erasure certificate", cause: error)
        }
        let canonical = try certificate.json()
        guard data == canonical || data == canonical + Data("\n".utf8) else {
            let offset = zip(data, canonical).prefix { $0 == $1 }.count
            let line = data.prefix(offset).filter { $0 == UInt8(ascii: "\n") }.count + 1
            throw DSARError(.signatureInvalid, "the certificate is not exactly as it was signed: from line \(line) (byte \(offset + 1)) it has " +
                            "a duplicated or unknown field, or bytes outside the signed content; it is not valid")
        }
        return certificate
    }
}

extension ErasureCertificate {
    /// The certificate of `plan`, unsigned.
    init(plan: ErasurePlan, catalog: Catalog, complete: Bool, maskingKey: MaskingKey, auditHead: String, at date: Date) {
        requestID = plan.requestID
        issuedAt = ISO8601.timestamp(date)
        controller = catalog.controller.name
        scope = plan.scope == nil ? plan.onlyBasis?.rawValue ?? "full" : "selected" + (plan.onlyBasis.map { "+\($0.rawValue)" } ?? "")
        scopeStatement = plan.scopeStatement
        retention = plan.retention
        if plan.retention != nil { scope = "retention" }
        subjectDigest = maskingKey.subjectDigest(plan.requested.map(\.description))
        collections = plan.collections.map {
            CollectionCounts(collection: $0.collection, deleted: $0.deleted.count, masked: $0.masked.count,
                             held: $0.held.count, retained: $0.retained.count, shared: $0.shared.count)
        }
        filesDeleted = plan.steps.filter { if case .removeFile = $0.action { true } else { false } }.count
        let versions = plan.collections.flatMap(\.files).compactMap(\.versions)
        fileVersionsDeleted = versions.isEmpty ? nil : versions.reduce(0, +)
        var holds: [String: Hold] = [:]
        for collection in plan.collections {
            for row in collection.held {
                let id = "\(collection.collection)\u{1f}\(row.reason)\u{1f}\(row.until ?? "")"
                holds[id, default: Hold(collection: collection.collection, reason: row.reason, until: row.until, rows: 0)].rows += 1
            }
        }
        self.holds = holds.keys.sorted().compactMap { holds[$0] }
        let touched = Set(plan.collections.filter { !$0.deleted.isEmpty || !$0.masked.isEmpty }.map(\.collection))
        recipients = Array(Set(catalog.collections.filter { touched.contains($0.name) }.flatMap(\.recipients))).sorted()
        verification = complete ? (plan.scope == nil ? "complete" : "complete for the scope") : "incomplete"
        self.auditHead = auditHead
        publicKey = ""
        signature = ""
    }
}
