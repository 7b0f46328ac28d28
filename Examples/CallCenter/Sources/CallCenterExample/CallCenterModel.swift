/// The generator's in-memory ground truth: exactly what is written to the CRM
/// database and the recordings store.
struct CallCenterModel: Sendable {
    struct Customer: Sendable {
        let id: Int
        let firstName: String
        let lastName: String
        /// As stored (possibly mixed case).
        let email: String
        /// As stored (messy format), nil when the customer gave no phone.
        let mobile: String?
        let mobileE164: String?
        let city: String?
        let createdAt: Timestamp
    }

    struct Consent: Sendable {
        let id: Int
        let customerID: Int
        let givenAt: Timestamp
        let withdrawnAt: Timestamp?
        let channel: String
    }

    struct Call: Sendable {
        let id: Int
        /// nil = anonymous call.
        let customerID: Int?
        /// As logged (messy format), nil = withheld number.
        let callerNumber: String?
        let callerE164: String?
        let startedAt: Timestamp
        let durationS: Int
        let reason: String?
        let agentNotes: String?
    }

    struct Recording: Sendable {
        let id: Int
        let callID: Int
        /// Relative to the recordings root, e.g. `calls/2026/03/call-17.wav`.
        let path: String
        let basis: String
        let durationS: Int
        let legalHoldUntil: String?
        let audioSeed: UInt64
    }

    struct Voicemail: Sendable {
        /// Relative to the recordings root, e.g. `voicemail/0145678910_20260312T101500.wav`.
        let path: String
        let phoneE164: String
        let receivedAt: Timestamp
        let audioSeed: UInt64
    }

    var customers: [Customer] = []
    var consents: [Consent] = []
    var calls: [Call] = []
    var recordings: [Recording] = []
    var voicemails: [Voicemail] = []
}
