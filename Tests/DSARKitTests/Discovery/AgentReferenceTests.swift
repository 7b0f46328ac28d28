import DSARKit
import DSARKitTesting
import Foundation
import Testing

/// Agent 900 handled calls of customers 1 and 2 and an anonymous call; the agent is also
/// customer 5. A reference to the agent describes a call; it does not make it the agent's.
@Suite("Discovery: references to other people's records")
struct AgentReferenceTests {
    typealias Fixture = ContactCentreFixture

    static let calls: [[Value]] = [
        [.integer(20), .integer(1), .integer(900), .null],
        [.integer(21), .integer(2), .integer(900), .null],
        [.integer(22), .null, .integer(900), .text("06 11 22 33 44")],
        [.integer(23), .integer(5), .null, .null],
    ]

    static func stores(_ shape: Fixture.AgentShape) -> StoreSet {
        switch shape {
        case .email:
            Fixture.stores(customers: [1, 2, 5], emails: [(10, 1, "amel@example.tn"), (11, 2, "youssef@example.fr"), (15, 5, "karim@atlas.example")],
                           agents: [[.integer(900), .text("karim@atlas.example")]], calls: calls)
        case .customer:
            Fixture.stores(customers: [1, 2, 5], emails: [(10, 1, "amel@example.tn"), (11, 2, "youssef@example.fr"), (15, 5, "karim@atlas.example")],
                           agents: [[.integer(900), .integer(5)]], agentColumns: ["id", "customer_id"], calls: calls)
        }
    }

    static let customerOne: Set<String> = ["customers:1", "customer_emails:10", "calls:20", "recordings:120"]
    static let agentAsCustomer: Set<String> = ["customers:5", "customer_emails:15", "calls:23", "recordings:123"]

    @Test("A customer's calls handled by an agent are hers; the agent's record is a conflict", arguments: [Fixture.AgentShape.email, .customer])
    func customerOfAgent(shape: Fixture.AgentShape) async throws {
        let result = try await Fixture.discover(["customer_id:1"], in: Self.stores(shape), catalog: Fixture.catalog(agents: shape))
        #expect(result.recordNames == Self.customerOne)
        #expect(result.conflictNames == ["agents:900"])
        #expect(Set(result.files.map(\.path)) == ["calls/20.wav"])
    }

    @Test("The agent who is also a customer: the calls the agent handled are not theirs", arguments: [Fixture.AgentShape.email, .customer])
    func agentIsCustomer(shape: Fixture.AgentShape) async throws {
        let catalog = Fixture.catalog(agents: shape)
        let result = try await Fixture.discover(["customer_id:5"], in: Self.stores(shape), catalog: catalog)
        #expect(result.recordNames == Self.agentAsCustomer.union(["agents:900"]))
        #expect(Set(result.files.map(\.path)) == ["calls/23.wav"])
        let handled = ["calls:20", "calls:21", "calls:22", "recordings:120", "recordings:121", "recordings:122"]
        for name in handled { #expect(!result.recordNames.contains(name), "\(name)") }
    }

    @Test("Erasing a customer or the agent-customer touches only their rows; the agent row stays while calls reference it",
          arguments: [Fixture.AgentShape.email, .customer])
    func erasure(shape: Fixture.AgentShape) async throws {
        let catalog = Fixture.catalog(agents: shape)
        for (subject, remaining) in [("customer_id:1", [21, 22, 23]), ("customer_id:5", [20, 21, 22])] {
            let stores = Self.stores(shape)
            let crm = stores["crm"] as! InMemoryStore
            let audio = stores["audio"] as! InMemoryStore
            let ledger = try Ledger(url: try ExampleData.temporaryFolder().appendingPathComponent("ledger.sqlite"))
            try ledger.generateSigningKey()
            let erasure = Erasure(catalog: catalog, stores: stores, ledger: ledger)
            let outcome = try await erasure.execute(try DataSubject(parsing: [subject], catalog: catalog))
            #expect(outcome.isComplete, "\(subject): \(outcome.residue)")
            #expect(crm.rows(of: "calls").map { $0["id"] } == remaining.map { .integer(Int64($0)) }, "\(subject)")
            #expect(crm.rows(of: "recordings").map { $0["id"] } == remaining.map { .integer(Int64($0 + 100)) }, "\(subject)")
            for call in remaining { #expect(try await audio.file(at: "calls/\(call).wav") != nil, "\(subject): call \(call)") }
            #expect(crm.rows(of: "agents").count == 1, "\(subject)")
        }
    }

    @Test("An access package for the agent-customer holds none of the calls the agent handled", arguments: [Fixture.AgentShape.email, .customer])
    func package(shape: Fixture.AgentShape) async throws {
        let catalog = Fixture.catalog(agents: shape)
        let stores = Self.stores(shape)
        let subject = try DataSubject(parsing: ["customer_id:5"], catalog: catalog)
        let result = try await Discovery(catalog: catalog, stores: stores).discover(subject, keeping: .linkColumns)
        let out = try ExampleData.temporaryFolder().appendingPathComponent("karim.tar.gz")
        _ = try await AccessPackageWriter(catalog: catalog, stores: stores)
            .write(result: result, to: out, options: AccessPackageOptions(format: .tarGzip, encryption: .none, requestID: "R-1"))
        let report = try PackageVerifier.verify(out)
        #expect(report.isValid)
        let names = Set(report.manifest?.files.map(\.path) ?? [])
        #expect(names.contains("files/audio/calls/23.wav"))
        for call in [20, 21, 22] { #expect(!names.contains("files/audio/calls/\(call).wav"), "call \(call)") }
    }
}
