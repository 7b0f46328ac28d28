import CallCenterExample
import Foundation
import GRDB

/// The benchmark's data set: the example's schema and catalog at scale. Customer `i` has email
/// `client<i>@exemple.fr` (every tenth written in mixed case), a unique French mobile written in
/// one of four formats, one consent and five calls (a few anonymous, from their own phone); the
/// first call of every customer has a recording row. Customers 1…`heavySubjects` own the real
/// WAV files (`heavyBytes` in all), for the packaging benchmark.
struct ScaleDataSet {
    let directory: URL
    let customers: Int
    let seed: UInt64
    var heavySubjects = 1
    var heavyFiles = 200
    var heavyFileBytes = 5 << 20

    var databaseURL: URL { directory.appendingPathComponent("data/crm.sqlite") }
    var recordingsURL: URL { directory.appendingPathComponent("data/recordings") }
    var catalogURL: URL { directory.appendingPathComponent("dsar.yaml") }

    static func email(of customer: Int) -> String {
        customer % 10 == 0 ? "Client\(customer)@Exemple.FR" : "client\(customer)@exemple.fr"
    }

    /// E.164 mobile of a customer: unique per customer.
    static func mobile(of customer: Int) -> String { "+336" + String(format: "%08d", customer) }

    static func written(_ e164: String, style: Int) -> String {
        let nsn = String(e164.dropFirst(3))  // 6xxxxxxxx
        let pairs = stride(from: 1, to: 9, by: 2).map { i in nsn.dropFirst(i).prefix(2) }.joined(separator: " ")
        switch style % 4 {
        case 0: return "0" + nsn.prefix(1) + " " + pairs
        case 1: return "+33 " + nsn.prefix(1) + " " + pairs
        case 2: return "0033" + nsn
        default: return "0" + nsn.prefix(1) + "." + pairs.replacingOccurrences(of: " ", with: ".")
        }
    }

    func generate() throws {
        try? FileManager.default.removeItem(at: directory)
        try FileManager.default.createDirectory(at: recordingsURL.appendingPathComponent("voicemail"), withIntermediateDirectories: true)
        try CallCenterDataSet.catalogText().write(to: catalogURL, atomically: true, encoding: .utf8)
        let schema = CallCenterDataSet.crmSchema.components(separatedBy: ";").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            .filter { !$0.isEmpty }
        let queue = try DatabaseQueue(path: databaseURL.path)
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF")
            for statement in schema where !statement.hasPrefix("CREATE INDEX") { try db.execute(sql: statement) }
            try db.inTransaction {
                try insertRows(db)
                return .commit
            }
            for statement in schema where statement.hasPrefix("CREATE INDEX") { try db.execute(sql: statement) }
            try db.execute(sql: "ANALYZE")
        }
        try queue.close()
        try writeHeavyRecordings()
        try writeVoicemails()
    }

    private func insertRows(_ db: Database) throws {
        var random = SplitMix64(seed: seed)
        let customer = try db.makeStatement(sql: "INSERT INTO customers VALUES (?, ?, ?, ?, ?, ?, ?)")
        let consent = try db.makeStatement(sql: "INSERT INTO recording_consents VALUES (?, ?, ?, ?, ?)")
        let call = try db.makeStatement(sql: "INSERT INTO calls VALUES (?, ?, ?, ?, ?, ?, ?)")
        let recording = try db.makeStatement(sql: "INSERT INTO recordings VALUES (?, ?, ?, ?, ?, ?)")
        let firstNames = ["Amel", "Élodie", "Youssef", "Chaïma", "François", "Hédi", "Zoé", "Inès", "Mohamed", "Anaïs"]
        let lastNames = ["Ben Ali", "Lefèvre", "Trabelsi", "Moreau", "Jaziri", "Girard", "Haddad", "Gharbi", "Mansouri", "Müller"]
        let bases = ["consent", "legitimate_interest", "legal_obligation"]
        var recordingID = 0
        for id in 1...customers {
            let phone = Self.mobile(of: id)
            try customer.execute(arguments: [
                id, firstNames[Int(random.next() % 10)], lastNames[Int(random.next() % 10)], Self.email(of: id),
                Self.written(phone, style: id), "Tunis", "2025-01-01T09:00:00Z",
            ])
            try consent.execute(arguments: [id, id, "2025-01-02T10:00:00Z", id % 3 == 0 ? "2025-06-01T10:00:00Z" : nil,
                                            id % 2 == 0 ? "ivr" : "agent_script"])
            for k in 0..<5 {
                let callID = (id - 1) * 5 + k + 1
                let anonymous = k == 4 && id % 10 == 0
                try call.execute(arguments: [
                    callID, anonymous ? nil : id, Self.written(phone, style: id + k + 1),
                    "2026-0\(k + 1)-15T10:00:00Z", Int(random.next() % 900), "Question", "Notes de l'agent",
                ])
                guard k == 0 else { continue }
                let files = id <= heavySubjects ? heavyFiles : 1
                for file in 0..<files {
                    recordingID += 1
                    let path = id <= heavySubjects ? "heavy/\(id)/call-\(callID)-\(file).wav" : "calls/\(callID % 997)/call-\(callID).wav"
                    try recording.execute(arguments: [recordingID, callID, path, bases[id % 3], 60, nil])
                }
            }
        }
    }

    /// Real, incompressible PCM audio for the heavy subjects.
    private func writeHeavyRecordings() throws {
        var random = SplitMix64(seed: seed ^ 0xA0D10)
        for id in 1...heavySubjects {
            let folder = recordingsURL.appendingPathComponent("heavy/\(id)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for file in 0..<heavyFiles {
                let url = folder.appendingPathComponent("call-\((id - 1) * 5 + 1)-\(file).wav")
                var data = Self.wavHeader(dataBytes: heavyFileBytes - 44)
                var samples = Data(count: heavyFileBytes - 44)
                samples.withUnsafeMutableBytes { buffer in
                    let words = buffer.bindMemory(to: UInt64.self)
                    for index in words.indices { words[index] = random.next() }
                }
                data.append(samples)
                try data.write(to: url)
            }
        }
    }

    /// About a hundred customers left a voicemail.
    static func hasVoicemail(_ id: Int, customers: Int) -> Bool { id >= 7 && (id - 7) % max(customers / 100, 1) == 0 }

    static func voicemailPath(of id: Int) -> String { "voicemail/0" + mobile(of: id).dropFirst(3) + "_20260301T100000.wav" }

    private func writeVoicemails() throws {
        for id in 1...customers where Self.hasVoicemail(id, customers: customers) {
            try (Self.wavHeader(dataBytes: 1600) + Data(count: 1600)).write(to: recordingsURL.appendingPathComponent(Self.voicemailPath(of: id)))
        }
    }

    static func wavHeader(dataBytes: Int) -> Data {
        var header = Data()
        func append<T: FixedWidthInteger>(_ value: T) { withUnsafeBytes(of: value.littleEndian) { header.append(contentsOf: $0) } }
        header.append(contentsOf: Array("RIFF".utf8)); append(UInt32(36 + dataBytes))
        header.append(contentsOf: Array("WAVEfmt ".utf8)); append(UInt32(16)); append(UInt16(1)); append(UInt16(1))
        append(UInt32(8000)); append(UInt32(16000)); append(UInt16(2)); append(UInt16(16))
        header.append(contentsOf: Array("data".utf8)); append(UInt32(dataBytes))
        return header
    }
}
