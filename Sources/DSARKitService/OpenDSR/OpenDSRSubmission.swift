import DSARKit
import Foundation

/// A `POST /opengdpr_requests` body, checked as OpenDSR 0.1 §7.1 says: every error names the
/// field (`subject_identities[1].identity_format`), never a value.
struct OpenDSRSubmission: Sendable {
    var subjectRequestID: String
    var kind: RequestKind
    var submitted: Date
    var subject: DataSubject
    var callbackURLs: [String]

    /// The identity types the API accepts and the catalog's identifier type each maps to:
    /// `email` to the catalog's first email identifier, `phone` (an extension of DSARKit's) to
    /// its first phone identifier.
    static func identityTypes(of catalog: Catalog) -> [(identityType: String, identifier: IdentifierType)] {
        var found: [(String, IdentifierType)] = []
        if let email = catalog.identifiers.first(where: { $0.kind == .email }) { found.append(("email", email)) }
        if let phone = catalog.identifiers.first(where: { $0.kind == .phone }) { found.append(("phone", phone)) }
        return found
    }

    static let maxIdentities = 10
    static let maxCallbacks = 5

    static func parse(_ body: Data, catalog: Catalog) throws(APIError) -> OpenDSRSubmission {
        guard let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] else {
            throw .invalid("the body is not a JSON object")
        }
        let id = try uuid(object["subject_request_id"], "subject_request_id")
        guard let typeText = object["subject_request_type"] else { throw .invalid("subject_request_type field is required") }
        guard let type = typeText as? String, ["access", "portability", "erasure"].contains(type),
              let kind = RequestKind(rawValue: type) else {
            throw .invalid("subject_request_type must be access, portability or erasure")
        }
        guard let submittedText = object["submitted_time"] else { throw .invalid("submitted_time field is required") }
        guard let text = submittedText as? String, let submitted = rfc3339(text) else {
            throw .invalid("submitted_time must be an RFC 3339 date-time, such as 2026-03-15T09:30:00Z")
        }
        if let version = object["api_version"] {
            guard let version = version as? String, version == "0.1" || version.hasPrefix("0.1.") else {
                throw .invalid("api_version must be 0.1 (the version this processor speaks)")
            }
        }
        let subject = try identities(object["subject_identities"], catalog: catalog)
        let callbacks = try callbackURLs(object["status_callback_urls"])
        if let extensions = object["extensions"], !(extensions is [String: Any]) {
            throw .invalid("extensions must be an object keyed by processor domain")
        }
        return OpenDSRSubmission(subjectRequestID: id, kind: kind, submitted: submitted, subject: subject, callbackURLs: callbacks)
    }

    /// A lowercase UUID v4, as OpenDSR requires of its ids.
    static func uuid(_ value: Any?, _ field: String) throws(APIError) -> String {
        guard let value else { throw .invalid("\(field) field is required") }
        guard let text = value as? String, isUUIDv4(text) else {
            throw .invalid("\(field) must be a lowercase UUID v4")
        }
        return text
    }

    static func isUUIDv4(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 36, UUID(uuidString: text) != nil, text == text.lowercased() else { return false }
        return bytes[14] == UInt8(ascii: "4") && [UInt8(ascii: "8"), UInt8(ascii: "9"), UInt8(ascii: "a"), UInt8(ascii: "b")].contains(bytes[19])
    }

    static func identities(_ value: Any?, catalog: Catalog) throws(APIError) -> DataSubject {
        guard let value else { throw .invalid("subject_identities field is required") }
        guard let list = value as? [Any], !list.isEmpty, list.count <= maxIdentities else {
            throw .invalid("subject_identities must be an array of 1 to \(maxIdentities) identity objects")
        }
        let types = identityTypes(of: catalog)
        var identifiers: [SubjectIdentifier] = []
        for (index, item) in list.enumerated() {
            let field = "subject_identities[\(index)]"
            guard let identity = item as? [String: Any] else { throw .invalid("\(field) must be an object") }
            for key in ["identity_type", "identity_value", "identity_format"] where !(identity[key] is String) {
                throw .invalid("\(field).\(key) field is required (a string)")
            }
            let type = identity["identity_type"] as! String
            guard let mapped = types.first(where: { $0.identityType == type }) else {
                let known = types.map(\.identityType).joined(separator: ", ")
                throw .invalid("\(field).identity_type is not supported here; supported: \(known.isEmpty ? "none" : known)")
            }
            guard identity["identity_format"] as? String == "raw" else {
                throw .invalid("\(field).identity_format must be raw: hashed identities cannot be searched for")
            }
            guard let normalized = mapped.identifier.normalize(identity["identity_value"] as! String) else {
                throw .invalid("\(field).identity_value is not a valid \(type)")
            }
            let identifier = SubjectIdentifier(type: mapped.identifier.name, normalizedValue: normalized)
            if !identifiers.contains(identifier) { identifiers.append(identifier) }
        }
        return DataSubject(identifiers: identifiers)
    }

    static func callbackURLs(_ value: Any?) throws(APIError) -> [String] {
        guard let value else { return [] }
        guard let list = value as? [Any], list.count <= maxCallbacks else {
            throw .invalid("status_callback_urls must be an array of at most \(maxCallbacks) URLs")
        }
        var urls: [String] = []
        for (index, item) in list.enumerated() {
            guard let text = item as? String, text.count <= 2048, let url = URL(string: text),
                  let scheme = url.scheme?.lowercased(), scheme == "https" || scheme == "http", url.host?.isEmpty == false else {
                throw .invalid("status_callback_urls[\(index)] must be an http or https URL")
            }
            urls.append(text)
        }
        return urls
    }

    static func rfc3339(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }
}
