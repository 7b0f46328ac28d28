import CallCenterExample
import DSARKit
import DSARKitTesting
import Foundation
import Testing

/// A row the plan keeps keeps what it points at: its parent row, and its file.
@Suite("Erasure: rows kept keep their parents and files")
struct KeptRowTests {
    typealias Fixture = DisputeFixture
    static let disputed = HoldRule(column: "disputed", reason: "Disputed sale", reachesChildren: false)

    @Test("A held call keeps its customer row, reported as still referenced by the call")
    func keptParent() async throws {
        let catalog = Fixture.catalog(calls: Self.disputed)
        let stores = Fixture.stores()
        let erasure = try Fixture.erasure(catalog, stores)
        let subject = try DataSubject(parsing: ["customer_id:1"], catalog: catalog)
        let plan = try await erasure.plan(for: subject)
        #expect(plan.collection("calls")?.held.map(\.key) == ["id=10"])
        #expect(plan.collection("customers")?.deleted == [])
        #expect(plan.collection("customers")?.kept.map(\.key) == ["id=1"])
        #expect(plan.collection("customers")?.kept.first?.reason.hasPrefix("still referenced by calls[id=10]") == true)
        // Call 13 stays for its held recording 114.
        #expect(plan.collection("calls")?.kept == [KeptRow(key: "id=13", reason: "still referenced by recordings[id=114]")])
        #expect(plan.collection("calls")?.deleted == ["id=11"])
        let outcome = try await erasure.execute(subject)
        #expect(outcome.isComplete, "\(outcome.residue)")
        #expect(Fixture.ids(stores, "customers") == [1, 2])
        #expect(Fixture.ids(stores, "calls") == [10, 12, 13])
    }

    @Test("A file that a kept row also links is not deleted with the other row")
    func keptFile() async throws {
        let catalog = Fixture.catalog(calls: Self.disputed)
        let stores = Fixture.stores()
        let erasure = try Fixture.erasure(catalog, stores)
        let subject = try DataSubject(parsing: ["customer_id:1"], catalog: catalog)
        let plan = try await erasure.plan(for: subject)
        let recordings = try #require(plan.collection("recordings"))
        #expect(recordings.held.map(\.key) == ["id=114"])
        #expect(Set(recordings.deleted) == ["id=110", "id=111", "id=113", "id=115"])
        #expect(Set(recordings.files.map(\.path)) == ["a/10.wav", "a/11.wav"])
        #expect(Set(recordings.keptFiles.map(\.key)) == ["id=113", "id=115"])
        #expect(recordings.keptFiles.allSatisfy { $0.reason.hasPrefix("still linked by recordings[") })
        let outcome = try await erasure.execute(subject)
        #expect(outcome.isComplete, "\(outcome.residue)")
        #expect(Fixture.ids(stores, "recordings") == [112, 114, 116])
        #expect(try await Fixture.existing(stores) == ["a/12.wav", "a/shared.wav", "a/other.wav"])
    }
}

extension KeptRowTests {
    @Test("Erasing a person again plans nothing: her kept customer row leads back to her masked calls, which are not masked again")
    func eraseTwice() async throws {
        let dataSet = try CallCenterDataSet.generate(into: try ExampleData.temporaryFolder(), customers: 4)
        let catalog = try Catalog.load(from: dataSet.catalogURL)
        let ledger = try Ledger(url: try ExampleData.temporaryFolder().appendingPathComponent("ledger.sqlite"))
        try ledger.generateSigningKey()
        let erasure = Erasure(catalog: catalog, stores: try StoreSet.open(for: catalog, readOnly: false), ledger: ledger)
        let subject = try DataSubject(parsing: ["customer_id:1"], catalog: catalog)
        let first = try await erasure.execute(subject)
        #expect(first.isComplete, "\(first.residue)")
        let again = try await erasure.plan(for: subject)
        #expect(again.collection("customers")?.kept.map(\.key) == ["id=1"])
        #expect(again.collection("customers")?.kept.first?.reason.hasPrefix("still referenced by consents[") == true)
        #expect(again.steps.map(\.summary) == [])
    }
}

/// A hold on a record keeps the records under it, and can be a condition on a column's value.
@Suite("Erasure: holds that reach children")
struct HoldReachTests {
    typealias Fixture = DisputeFixture

    @Test("A customer under litigation keeps their calls and recordings, held under the customer")
    func customerHold() async throws {
        let catalog = Fixture.catalog(customers: HoldRule(column: "litigation_until", reason: "Litigation"))
        let stores = Fixture.stores(litigationUntil: .text("2031-01-01"))
        let erasure = try Fixture.erasure(catalog, stores)
        let subject = try DataSubject(parsing: ["customer_id:1"], catalog: catalog)
        let plan = try await erasure.plan(for: subject)
        #expect(plan.collection("customers")?.held == [HeldRow(key: "id=1", reason: "Litigation", until: "2031-01-01")])
        let calls = try #require(plan.collection("calls"))
        #expect(calls.held.map(\.key) == ["id=10", "id=11", "id=13"])
        #expect(calls.held.allSatisfy { $0.reason == "Litigation" && $0.under == "customers[id=1]" && $0.until == "2031-01-01" })
        let recordings = try #require(plan.collection("recordings"))
        #expect(Set(recordings.held.map(\.key)) == ["id=110", "id=111", "id=113", "id=114", "id=115"])
        #expect(recordings.held.first { $0.key == "id=114" } == HeldRow(key: "id=114", reason: "Investment order (MiFID II)"))
        #expect(recordings.held.first { $0.key == "id=110" }?.under == "customers[id=1]")
        #expect(recordings.deleted.isEmpty && recordings.files.isEmpty)
        #expect(plan.steps.isEmpty)
        let outcome = try await erasure.execute(subject)
        #expect(outcome.isComplete, "\(outcome.residue)")
        #expect(Fixture.ids(stores, "calls") == [10, 11, 12, 13])
        #expect(Fixture.ids(stores, "recordings") == [110, 111, 112, 113, 114, 115, 116])
        #expect(try await Fixture.existing(stores) == Set(Fixture.paths))
    }

    @Test("reachesChildren: false holds the row alone")
    func optOut() async throws {
        let catalog = Fixture.catalog(customers: HoldRule(column: "litigation_until", reason: "Litigation", reachesChildren: false))
        let stores = Fixture.stores(litigationUntil: .text("2031-01-01"))
        let plan = try await Fixture.erasure(catalog, stores).plan(for: try DataSubject(parsing: ["customer_id:1"], catalog: catalog))
        #expect(plan.collection("customers")?.held.map(\.key) == ["id=1"])
        #expect(plan.collection("calls")?.held.isEmpty == true)
        #expect(plan.collection("calls")?.deleted == ["id=10", "id=11"])
    }

    @Test("A hold on a column's value: the disputed call and its recording are held, the customer kept")
    func valueHold() async throws {
        let catalog = Fixture.catalog(calls: HoldRule(column: "status", reason: "Disputed sale", values: ["DISPUTE", "FRAUD"]))
        let stores = Fixture.stores()
        let erasure = try Fixture.erasure(catalog, stores)
        let subject = try DataSubject(parsing: ["customer_id:1"], catalog: catalog)
        let plan = try await erasure.plan(for: subject)
        #expect(plan.collection("calls")?.held == [HeldRow(key: "id=10", reason: "Disputed sale", until: nil)])
        let recording = plan.collection("recordings")?.held.first { $0.key == "id=110" }
        #expect(recording == HeldRow(key: "id=110", reason: "Disputed sale", under: "calls[id=10]"))
        #expect(plan.collection("customers")?.kept.map(\.key) == ["id=1"])
        let outcome = try await erasure.execute(subject)
        #expect(outcome.isComplete, "\(outcome.residue)")
        #expect(Fixture.ids(stores, "calls") == [10, 12, 13])
        #expect(try await Fixture.existing(stores).contains("a/10.wav"))
    }

    @Test("Value holds: held while the column equals one of the values, and only then")
    func valueRule() {
        let rule = HoldRule(column: "status", reason: "Disputed sale", values: ["DISPUTE", "FRAUD", "7"])
        let now = Fixture.now
        #expect(rule.holds(.text("DISPUTE"), at: now).held)
        #expect(rule.holds(.text(" FRAUD "), at: now).held)
        #expect(rule.holds(.integer(7), at: now).held)
        #expect(rule.holds(.text("OK"), at: now).held == false)
        #expect(rule.holds(.text("1"), at: now).held == false)
        #expect(rule.holds(.null, at: now).held == false)
    }

    @Test("The catalog reads `when` with one value or a list, and reachesChildren")
    func yaml() throws {
        let yaml = try ExampleData.catalogText.replacingOccurrences(
            of: "      column: legal_hold_until\n",
            with: "      when: { hold_status: [DISPUTE, FRAUD] }\n      reachesChildren: false\n")
        let catalog = try Catalog.parse(yaml: yaml, baseDirectory: URL(fileURLWithPath: "/srv/dsar"))
        let hold = try #require(catalog.collection(named: "recordings")?.hold)
        #expect(hold.column == "hold_status")
        #expect(hold.values == ["DISPUTE", "FRAUD"])
        #expect(hold.reachesChildren == false)
        let single = try ExampleData.catalogText.replacingOccurrences(
            of: "      column: legal_hold_until\n", with: "      when: { status: DISPUTE }\n")
        let parsed = try Catalog.parse(yaml: single, baseDirectory: URL(fileURLWithPath: "/srv/dsar"))
        #expect(parsed.collection(named: "recordings")?.hold?.values == ["DISPUTE"])
        #expect(parsed.collection(named: "recordings")?.hold?.reachesChildren == true)
        for bad in ["      when: { a: X, b: Y }\n", "      column: legal_hold_until\n      when: { status: DISPUTE }\n",
                    "      when: { status: [] }\n", "      column: legal_hold_until\n      reachesChildren: maybe\n"] {
            let text = try ExampleData.catalogText.replacingOccurrences(of: "      column: legal_hold_until\n", with: bad)
            #expect(throws: CatalogError.self, "\(bad)") { try Catalog.parse(yaml: text, baseDirectory: URL(fileURLWithPath: "/srv/dsar")) }
        }
    }
}
