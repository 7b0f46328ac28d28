import DSARKit
import Testing

@Suite("Discovery")
struct DiscoveryTests {
    static let amel: Set<String> = [
        "customers:1", "customers:3", "calls:10", "calls:13", "calls:14", "calls:15",
        "recordings:100", "recordings:103", "recordings:104", "recordings:105",
        "orders:50", "addresses:70", "voicemails:voicemail/0021698123456_20260402T090000.wav",
    ]

    @Test("Everything of Amel is found from her email; the household's other member is a conflict")
    func household() async throws {
        let result = try await HouseholdFixture.discover("email: AMEL.BENALI@example.tn")
        #expect(result.recordNames == Self.amel)
        #expect(result.conflictNames == ["customers:2", "calls:11", "agents:900"])
        #expect(result.ambiguousNames == ["calls:12", "recordings:102", "voicemails:voicemail/0145678910_20260312T101500.wav"])
        #expect(Set(result.files.map(\.path)) == [
            "calls/call-10.wav", "calls/call-13.wav", "calls/call-14.wav", "calls/call-15.wav",
            "voicemail/0021698123456_20260402T090000.wav",
        ])
        #expect(result.problems.isEmpty)
    }

    @Test("A second account with the same email is the subject's, and reveals its customer id")
    func secondAccount() async throws {
        let result = try await HouseholdFixture.discover("email:amel.benali@example.tn")
        let ids = Set(result.identifiers.map(\.identifier.description))
        #expect(ids.isSuperset(of: ["customer_id:1", "customer_id:3", "phone:+21698123456", "phone:+33145678910"]))
    }

    @Test("A phone used by one person finds that person; records are the same as from the email")
    func soleUserPhone() async throws {
        let result = try await HouseholdFixture.discover("phone:0021698123456")
        #expect(result.recordNames.isSuperset(of: ["customers:1", "calls:10", "calls:13", "calls:14", "recordings:103"]))
        #expect(!result.recordNames.contains("customers:2"))
        #expect(result.conflictNames.contains("customers:2"))
    }

    @Test("A phone shared by two people finds nobody's records: conflicts and items to review only")
    func sharedPhoneOnly() async throws {
        let result = try await HouseholdFixture.discover("phone:+33 1 45 67 89 10")
        #expect(result.records.isEmpty)
        #expect(result.conflictNames.isSuperset(of: ["customers:2", "calls:10", "calls:11"]))
        #expect(result.ambiguousNames == ["calls:12", "recordings:102", "voicemails:voicemail/0145678910_20260312T101500.wav"])
    }

    @Test("A parent reached upward is included but not fanned out to its other children")
    func referencedParent() async throws {
        let result = try await HouseholdFixture.discover("customer_id:1")
        let address = try #require(result.records.first { $0.id.collection == "addresses" })
        #expect(address.role == .referenced)
        #expect(!result.recordNames.contains("orders:51"))
        #expect(!result.conflictNames.contains("orders:51"))
    }

    @Test("Every record carries a chain from a named identifier")
    func provenance() async throws {
        let result = try await HouseholdFixture.discover("email:amel.benali@example.tn")
        for record in result.records {
            #expect(record.provenance.first?.kind == .seed, "\(record.id)")
            #expect(record.provenance.last?.record == record.id, "\(record.id)")
        }
        let recording = try #require(result.records.first { $0.id.collection == "recordings" && $0.id.key.values == [.integer(103)] })
        #expect(recording.provenance.map(\.kind) == [.seed, .match, .revealed, .match, .child])
    }

    static let hostileValues = [
        "email:o'brien';DROP/**/TABLE/**/customers;--@example.com", "email:%@%", "email:_@_", "customer_id:1 OR 1=1",
        "customer_id:" + String(repeating: "9", count: 10_000), "customer_id:1\u{0}", "customer_id:%", "customer_id:'1'",
        "phone:+33 1 45 67 89 10\u{0}", "email:amel.benali@example.tn\u{0}",
    ]

    @Test("Hostile identifier values are data: refused cleanly or found nothing, and nothing is broken")
    func hostile() async throws {
        for (index, identifier) in Self.hostileValues.enumerated() {
            do {
                let result = try await HouseholdFixture.discover(identifier)
                #expect(result.records.isEmpty && result.conflicts.isEmpty, "value \(index) found something")
            } catch let error as DSARError {
                #expect(error.code == .invalidIdentifier, "value \(index): \(error.code)")
            }
        }
        let again = try await HouseholdFixture.discover("email:amel.benali@example.tn")
        #expect(again.recordNames == Self.amel)
    }

    @Test("Unknown identifier types and malformed values are refused without echoing the value")
    func badIdentifiers() {
        #expect(throws: DSARError.self) { try DataSubject(parsing: ["passport:X123"], catalog: HouseholdFixture.catalog) }
        do {
            _ = try DataSubject(parsing: ["phone:not a number secret"], catalog: HouseholdFixture.catalog)
            Issue.record("should throw")
        } catch {
            #expect(!"\(error)".contains("secret"))
        }
        #expect(throws: DSARError.self) { try DataSubject(parsing: ["no-colon"], catalog: HouseholdFixture.catalog) }
    }
}
