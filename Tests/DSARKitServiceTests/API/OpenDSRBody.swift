import Foundation
import NIOCore

/// An OpenDSR request body, valid unless a field is changed or removed.
struct OpenDSRBody: @unchecked Sendable {
    static let id = "a7551968-d5d6-44b2-9831-815ac9017798"
    static let email = "Amel.BenAli@Example.TN"

    var fields: [String: Any] = [
        "subject_request_id": id,
        "subject_request_type": "erasure",
        "submitted_time": "2026-03-14T15:00:00Z",
        "subject_identities": [["identity_type": "email", "identity_value": email, "identity_format": "raw"]],
        "api_version": "0.1",
    ]

    func with(_ key: String, _ value: Any?) -> OpenDSRBody {
        var copy = self
        copy.fields[key] = value
        return copy
    }

    var buffer: ByteBuffer {
        ByteBuffer(bytes: try! JSONSerialization.data(withJSONObject: fields))
    }
}
