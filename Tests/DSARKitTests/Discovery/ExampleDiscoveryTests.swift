import CallCenterExample
import DSARKit
import Testing

@Suite("Discovery on the call-centre example")
struct ExampleDiscoveryTests {
    let dataSet = ExampleData.dataSet

    func discover(_ identifiers: [String]) async throws -> DiscoveryResult {
        let catalog = try Catalog.load(from: dataSet.catalogURL)
        let subject = try DataSubject(parsing: identifiers, catalog: catalog)
        return try await Discovery(catalog: catalog, stores: StoreSet.open(for: catalog)).discover(subject)
    }

    @Test("Amel: exactly her records and files, the household conflict, and the items to review")
    func amel() async throws {
        let person = try #require(dataSet.person(email: "amel.benali@example.tn"))
        let result = try await discover(["email:amel.benali@example.tn"])
        let expected = dataSet.expectation(for: person)
        #expect(result.items == expected.records)
        #expect(result.fileNames == expected.files)
        #expect(result.conflictItems == expected.conflicts)
        #expect(result.ambiguousItems == expected.ambiguous)
        #expect(result.conflictItems.contains(ExpectedItem("customers", 2)), "the other household member")
        #expect(result.items.contains(ExpectedItem(collection: "voicemails", key: "voicemail/0021698123456_20260402T090000.wav")),
                "the voicemail named by her number in another format")
        #expect(result.problems.isEmpty)
    }

    @Test("Every person of the example: discovery from their email equals the generator's ground truth")
    func everyone() async throws {
        for person in dataSet.people {
            let result = try await discover(["email:\(person.storedEmail)"])
            let expected = dataSet.expectation(for: person)
            #expect(result.items == expected.records, "customer \(person.customerID): records")
            #expect(result.fileNames == expected.files, "customer \(person.customerID): files")
            #expect(result.conflictItems == expected.conflicts, "customer \(person.customerID): conflicts")
            #expect(result.ambiguousItems == expected.ambiguous, "customer \(person.customerID): ambiguous")
        }
    }

    @Test("Several identifiers of one person give the same result as one")
    func severalIdentifiers() async throws {
        let one = try await discover(["email:amel.benali@example.tn"])
        let several = try await discover(["email:amel.benali@example.tn", "customer_id:1", "phone:0021698123456"])
        #expect(several.items == one.items)
    }
}

extension DiscoveryResult {
    var items: Set<ExpectedItem> { Set(records.map { ExpectedItem(collection: $0.id.collection, key: $0.id.key.values.map(\.description).joined(separator: ",")) }) }
    var conflictItems: Set<ExpectedItem> { Set(conflicts.map { ExpectedItem(collection: $0.id.collection, key: $0.id.key.values.map(\.description).joined(separator: ",")) }) }
    var ambiguousItems: Set<ExpectedItem> { Set(ambiguous.map { ExpectedItem(collection: $0.id.collection, key: $0.id.key.values.map(\.description).joined(separator: ",")) }) }
    var fileNames: Set<String> { Set(files.map { "\($0.store)/\($0.path)" }) }
}
