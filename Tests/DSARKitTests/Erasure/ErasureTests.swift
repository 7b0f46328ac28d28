import CallCenterExample
import DSARKit
import DSARKitTesting
import Foundation
import GRDB
import Testing

@Suite("Erasure")
struct ErasureTests {
    private func ledger() throws -> Ledger {
        let ledger = try Ledger(url: try ExampleData.temporaryFolder().appendingPathComponent("ledger.sqlite"))
        try ledger.generateSigningKey()
        return ledger
    }

    @Test("A parent other people's rows also reference is kept as shared; conflicts and ambiguous records are untouched")
    func sharedParent() async throws {
        let stores = HouseholdFixture.stores()
        let crm = stores["crm"] as! InMemoryStore
        let audio = stores["audio"] as! InMemoryStore
        let erasure = Erasure(catalog: HouseholdFixture.catalog, stores: stores, ledger: try ledger())
        let subject = try DataSubject(parsing: ["email:amel.benali@example.tn"], catalog: HouseholdFixture.catalog)
        let plan = try await erasure.plan(for: subject)
        #expect(plan.collection("addresses")?.shared == ["id=70"])
        #expect(plan.collection("orders")?.deleted == ["id=50"])
        let outcome = try await erasure.execute(subject)
        #expect(outcome.isComplete, "\(outcome.residue)")
        #expect(crm.rows(of: "addresses").count == 1)
        #expect(crm.rows(of: "orders").map { $0["id"] } == [.integer(51)])
        #expect(crm.rows(of: "customers").map { $0["id"] } == [.integer(2), .integer(4)])
        #expect(crm.rows(of: "calls").map { $0["id"] } == [.integer(11), .integer(12)])
        #expect(crm.rows(of: "agents").count == 1)
        #expect(crm.rows(of: "recordings").map { $0["id"] } == [.integer(101), .integer(102)])
        #expect(try await audio.file(at: "voicemail/0145678910_20260312T101500.wav") != nil)
        #expect(try await audio.file(at: "voicemail/0021698123456_20260402T090000.wav") == nil)
        #expect(try await audio.file(at: "calls/call-10.wav") == nil)
        #expect(try await audio.file(at: "calls/call-11.wav") != nil)
        #expect(outcome.certificate.collections.first { $0.collection == "addresses" }?.shared == 1)
    }

    @Test("The certificate names the recipients of touched collections (Art. 19) and the scope")
    func recipients() async throws {
        var catalog = HouseholdFixture.catalog
        let orders = catalog.collections.firstIndex { $0.name == "orders" }!
        catalog.collections[orders].recipients = ["Carrier: Aramex Tunisie"]
        let agents = catalog.collections.firstIndex { $0.name == "agents" }!
        catalog.collections[agents].recipients = ["Payroll provider"]
        let erasure = Erasure(catalog: catalog, stores: HouseholdFixture.stores(), ledger: try ledger())
        let outcome = try await erasure.execute(try DataSubject(parsing: ["customer_id:1"], catalog: catalog))
        #expect(outcome.certificate.recipients == ["Carrier: Aramex Tunisie"])
        #expect(outcome.certificate.scope == "full")
        let json = String(decoding: try outcome.certificate.json(), as: UTF8.self)
        #expect(!json.contains("customer_id:1") && json.contains("hmac-sha256:"))
    }

    @Test("A hold is judged by the injected clock: held before its date, erased after")
    func holdClock() async throws {
        let folder = try ExampleData.temporaryFolder()
        let dataSet = try CallCenterDataSet.generate(into: folder, customers: 4)
        let catalog = try Catalog.load(from: dataSet.catalogURL)
        let stores = try StoreSet.open(for: catalog)
        let subject = try DataSubject(parsing: ["customer_id:1"], catalog: catalog)
        func plan(at date: String) async throws -> ErasurePlan {
            let now = try Date(date, strategy: .iso8601)
            return try await Erasure(catalog: catalog, stores: stores, ledger: try ledger(), now: { now }).plan(for: subject)
        }
        let before = try await plan(at: "2031-03-15T23:00:00Z")
        #expect(before.collection("recordings")?.held.map(\.key) == ["id=2"])
        #expect(before.collection("recordings")?.held.first?.until == "2031-03-15")
        let after = try await plan(at: "2031-03-16T00:00:01Z")
        #expect(after.collection("recordings")?.held.isEmpty == true)
        #expect(after.collection("recordings")?.deleted.contains("id=2") == true)
    }

    @Test("Hold values: dates, flags, and unreadable values that hold rather than erase")
    func holdValues() throws {
        let rule = HoldRule(column: "hold", reason: "litigation")
        let now = try Date("2026-11-29T12:00:00Z", strategy: .iso8601)
        #expect(rule.holds(.null, at: now).held == false)
        #expect(rule.holds(.integer(1), at: now).held)
        #expect(rule.holds(.integer(0), at: now).held == false)
        #expect(rule.holds(.text("true"), at: now).held)
        #expect(rule.holds(.text("no"), at: now).held == false)
        #expect(rule.holds(.text("2026-11-29"), at: now).held)
        #expect(rule.holds(.text("2026-11-28"), at: now).held == false)
        #expect(rule.holds(.text("2026-11-29T11:00:00Z"), at: now).held == false)
        #expect(rule.holds(.text("soon"), at: now).held)
    }

    @Test("The ledger keeps no personal data once a run completes, and its audit chain verifies")
    func ledgerHasNoPersonalData() async throws {
        let folder = try ExampleData.temporaryFolder()
        let dataSet = try CallCenterDataSet.generate(into: folder, customers: 4)
        let catalog = try Catalog.load(from: dataSet.catalogURL)
        let ledger = try ledger()
        let erasure = Erasure(catalog: catalog, stores: try StoreSet.open(for: catalog, readOnly: false), ledger: ledger)
        let outcome = try await erasure.execute(try DataSubject(parsing: ["email:amel.benali@example.tn"], catalog: catalog))
        #expect(outcome.isComplete, "\(outcome.residue)")
        try outcome.certificate.verifySignature(trusting: try ledger.publicKey())
        #expect(try ledger.verifyAudit().isIntact)
        let queue = try DatabaseQueue(path: ledger.url.path)
        let dump = try await queue.read { db in
            try String.fetchAll(db, sql: "SELECT coalesce(plan, '') || certificate FROM runs")
                + String.fetchAll(db, sql: "SELECT event || detail FROM audit")
        }.joined(separator: "\n")
        for personal in ["amel", "Amel", "98123456", "voicemail/", "0145678910", "Ben Ali"] {
            #expect(!dump.contains(personal), "\(personal) in the ledger")
        }
    }

    @Test("Verification reports an erasure as incomplete when data remains, naming files without their paths")
    func incomplete() async throws {
        let stores = HouseholdFixture.stores()
        let audio = StubbornFiles(stores["audio"] as! InMemoryStore)
        let erasure = Erasure(catalog: HouseholdFixture.catalog, stores: StoreSet([stores["crm"]!, audio]), ledger: try ledger())
        let outcome = try await erasure.execute(try DataSubject(parsing: ["email:amel.benali@example.tn"], catalog: HouseholdFixture.catalog))
        #expect(!outcome.isComplete)
        #expect(outcome.certificate.verification == "incomplete")
        #expect(outcome.residue.contains { $0.hasPrefix("voicemails[file ") })
        #expect(!outcome.residue.joined().contains("0021698123456"))
    }

    @Test("A catalog's ledger key moves the ledger")
    func ledgerKey() throws {
        let yaml = try ExampleData.catalogText + "ledger: state/erasures.sqlite\n"
        let catalog = try Catalog.parse(yaml: yaml, baseDirectory: URL(fileURLWithPath: "/srv/dsar"))
        #expect(Ledger.defaultURL(for: catalog).path == "/srv/dsar/state/erasures.sqlite")
    }
}

/// A file store that says it removed a file but keeps it: verification must notice.
struct StubbornFiles: ErasableFileStore {
    let inner: InMemoryStore
    init(_ inner: InMemoryStore) { self.inner = inner }
    var name: String { inner.name }
    func records(in collection: DataCollection, where match: ColumnMatch) -> AsyncThrowingStream<DSARKit.Record, any Error> {
        inner.records(in: collection, where: match)
    }
    func inspect(_ collection: DataCollection) async throws -> CollectionInspection { try await inner.inspect(collection) }
    func file(at path: String) async throws -> StoredFile? { try await inner.file(at: path) }
    func read(_ file: StoredFile, chunkSize: Int, into body: (UnsafeRawBufferPointer) throws -> Void) async throws {
        try await inner.read(file, chunkSize: chunkSize, into: body)
    }
    func removeFile(at path: String) async throws -> Bool { true }
}
