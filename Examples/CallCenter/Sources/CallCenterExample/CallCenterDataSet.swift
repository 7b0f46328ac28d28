import Foundation

/// A deterministic, realistic French/Tunisian call-centre data set: a CRM
/// SQLite database, call recordings and voicemails, plus the `dsar.yaml`
/// catalog describing them and the ground truth for every data subject.
///
/// Fixed ids (independent of seed and size):
/// - customers 1 Amel Ben Ali (`Amel.BenAli@Example.TN`, `+216 98 123 456`),
///   2 Youssef Ben Ali (household landline `01 45 67 89 10`);
/// - consents 1 (Amel, ivr, withdrawn), 2 (Amel, agent_script), 3 (Youssef, ivr);
/// - calls 1–3 Amel (1, 2 from her mobile, 3 from the household line), 4 anonymous
///   from Amel's mobile, 5–6 Youssef, 7 anonymous from the household line;
/// - recordings n = call n for n in 1...7; recording 2 is the investment order
///   (legal_obligation, hold until 2031-03-15);
/// - voicemails `voicemail/0021698123456_20260402T090000.wav` (Amel) and
///   `voicemail/0145678910_20260312T101500.wav` (household, ambiguous).
public struct CallCenterDataSet: Sendable {
    public enum GenerationError: Error, CustomStringConvertible {
        case missingCatalogResource
        public var description: String { "dsar.yaml resource not found in the CallCenterExample bundle" }
    }

    /// Contains `dsar.yaml` (and its Tunisian variant `dsar.tn.yaml`), `data/crm.sqlite` and `data/recordings/`.
    public let directory: URL
    /// Ground-truth data subjects, ordered by customer id.
    public let people: [Person]
    let model: CallCenterModel
    /// E.164 phone → ids of the customers who use it.
    let phoneOwners: [String: Set<Int>]

    public var catalogURL: URL { directory.appendingPathComponent("dsar.yaml") }
    /// The Tunisian variant of the catalog: the same stores and collections, with the INPDP
    /// as the supervisory authority instead of the CNIL.
    public var tunisianCatalogURL: URL { directory.appendingPathComponent("dsar.tn.yaml") }

    /// The authority line of the catalog's controller in the French (CNIL) variant.
    static let cnilAuthority = "  authority: CNIL, 3 place de Fontenoy, 75007 Paris (www.cnil.fr)\n"
    /// The same line in the Tunisian variant: the INPDP, under loi organique n° 2004-63.
    static let inpdpAuthority = "  authority: \"الهيئة الوطنية لحماية المعطيات الشخصية — INPDP (Instance Nationale de Protection des " +
        "Données Personnelles, loi organique n° 2004-63), B.P. 525 Tunis Belvédère, inpdp@inpdp.tn (www.inpdp.tn)\"\n"
    public var databaseURL: URL { directory.appendingPathComponent("data/crm.sqlite") }
    public var recordingsURL: URL { directory.appendingPathComponent("data/recordings", isDirectory: true) }

    public var customerCount: Int { model.customers.count }
    public var consentCount: Int { model.consents.count }
    public var callCount: Int { model.calls.count }
    public var anonymousCallCount: Int { model.calls.filter { $0.customerID == nil }.count }
    public var recordingCount: Int { model.recordings.count }
    public var voicemailCount: Int { model.voicemails.count }

    /// Deletes and recreates `directory/data`, writes `directory/dsar.yaml` and `dsar.tn.yaml`, the CRM
    /// database and all audio files. Same `customers` and `seed` ⇒ same bytes.
    @discardableResult
    public static func generate(into directory: URL, customers: Int = 60, seed: UInt64 = 2026) throws -> CallCenterDataSet {
        let model = CallCenterModelBuilder.build(customers: customers, seed: seed)
        let dataSet = CallCenterDataSet(directory: directory, model: model)
        try dataSet.write()
        return dataSet
    }

    init(directory: URL, model: CallCenterModel) {
        self.directory = directory
        self.model = model
        var owners: [String: Set<Int>] = [:]
        for customer in model.customers {
            if let phone = customer.mobileE164 { owners[phone, default: []].insert(customer.id) }
        }
        for call in model.calls {
            if let id = call.customerID, let phone = call.callerE164 { owners[phone, default: []].insert(id) }
        }
        phoneOwners = owners
        people = model.customers.map { c in
            let others = owners.filter { $0.value.contains(c.id) && $0.key != c.mobileE164 }.keys.sorted()
            return Person(customerID: c.id, firstName: c.firstName, lastName: c.lastName,
                          email: c.email.trimmingCharacters(in: .whitespaces).lowercased(), storedEmail: c.email,
                          mobile: c.mobileE164, storedMobile: c.mobile, city: c.city,
                          phones: (c.mobileE164.map { [$0] } ?? []) + others)
        }
    }

    /// The person whose e-mail matches, ignoring case and surrounding spaces.
    public func person(email: String) -> Person? {
        let wanted = email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        return people.first { $0.email == wanted }
    }

    public func person(customerID: Int) -> Person? {
        people.first { $0.customerID == customerID }
    }

    private func write() throws {
        let fm = FileManager.default
        let data = directory.appendingPathComponent("data", isDirectory: true)
        if fm.fileExists(atPath: data.path) { try fm.removeItem(at: data) }
        try fm.createDirectory(at: recordingsURL.appendingPathComponent("voicemail"), withIntermediateDirectories: true)

        guard let catalog = Bundle.module.url(forResource: "dsar", withExtension: "yaml") else {
            throw GenerationError.missingCatalogResource
        }
        let text = try String(contentsOf: catalog, encoding: .utf8)
        try Data(text.utf8).write(to: catalogURL)
        guard text.contains(Self.cnilAuthority) else { throw GenerationError.missingCatalogResource }
        try Data(text.replacingOccurrences(of: Self.cnilAuthority, with: Self.inpdpAuthority).utf8).write(to: tunisianCatalogURL)
        try CRMDatabase.write(model, to: databaseURL.path)

        var folders: Set<String> = []
        let audio = model.recordings.map { ($0.path, $0.audioSeed) } + model.voicemails.map { ($0.path, $0.audioSeed) }
        for (path, seed) in audio {
            let url = recordingsURL.appendingPathComponent(path)
            let folder = url.deletingLastPathComponent()
            if folders.insert(folder.path).inserted {
                try fm.createDirectory(at: folder, withIntermediateDirectories: true)
            }
            try WAVFile.tone(seed: seed).write(to: url)
        }
    }
}
