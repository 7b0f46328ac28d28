import DSARKit
import DSARKitTesting
import Foundation

/// A contact centre whose emails live in a child table (`customer_emails`), with agents who
/// handle several customers' calls. Each test states its own rows.
///
/// `agents` comes in two shapes: `.email` (an employee named by an email of their own) and
/// `.customer` (an employee row pointing at the agent's own customer account).
enum ContactCentreFixture {
    enum AgentShape { case email, customer }

    static func catalog(agents shape: AgentShape = .email) -> Catalog {
        let agents: DataCollection
        switch shape {
        case .email:
            agents = DataCollection(name: "agents", store: "crm", table: "agents", key: ["id"],
                                    identifiers: [IdentifierColumn(column: "email", type: "email")])
        case .customer:
            agents = DataCollection(name: "agents", store: "crm", table: "agents", key: ["id"],
                                    references: [Reference(column: "customer_id", targetCollection: "customers", targetColumn: "id")])
        }
        return Catalog(
            controller: Controller(name: "Atlas Contact SARL", contact: "dpo@example.com"),
            identifiers: [
                IdentifierType(name: "customer_id", kind: .opaque),
                IdentifierType(name: "email", kind: .email),
                IdentifierType(name: "phone", kind: .phone, region: "FR", shared: true),
            ],
            stores: [StoreDeclaration(name: "crm", type: "memory"), StoreDeclaration(name: "audio", type: "memory")],
            collections: [
                DataCollection(name: "customers", store: "crm", table: "customers", key: ["id"],
                               identifiers: [IdentifierColumn(column: "id", type: "customer_id")]),
                DataCollection(name: "customer_emails", store: "crm", table: "customer_emails", key: ["id"],
                               identifiers: [IdentifierColumn(column: "email", type: "email")],
                               references: [Reference(column: "customer_id", targetCollection: "customers", targetColumn: "id")]),
                agents,
                DataCollection(name: "calls", store: "crm", table: "calls", key: ["id"],
                               identifiers: [IdentifierColumn(column: "caller", type: "phone")],
                               references: [Reference(column: "customer_id", targetCollection: "customers", targetColumn: "id"),
                                            Reference(column: "agent_id", targetCollection: "agents", targetColumn: "id")]),
                DataCollection(name: "recordings", store: "crm", table: "recordings", key: ["id"],
                               references: [Reference(column: "call_id", targetCollection: "calls", targetColumn: "id")],
                               files: FileLink(column: "path", store: "audio")),
            ])
    }

    /// Stores with these rows. `calls` rows are `[id, customer_id, agent_id, caller]`; every
    /// call gets one recording (id = call id + 100) and its file.
    static func stores(customers: [Int], emails: [(id: Int, customer: Int, email: String)],
                       agents: [[Value]] = [], agentColumns: [String] = ["id", "email"],
                       calls: [[Value]] = []) -> StoreSet {
        let crm = InMemoryStore(name: "crm")
        crm.createTable("customers", columns: ["id"], rows: customers.map { [.integer(Int64($0))] })
        crm.createTable("customer_emails", columns: ["id", "customer_id", "email"], rows: emails.map {
            [.integer(Int64($0.id)), .integer(Int64($0.customer)), .text($0.email)]
        })
        crm.createTable("agents", columns: agentColumns, rows: agents)
        crm.createTable("calls", columns: ["id", "customer_id", "agent_id", "caller"], rows: calls)
        let audio = InMemoryStore(name: "audio")
        var recordings: [[Value]] = []
        for call in calls {
            guard case .integer(let id) = call[0] else { continue }
            recordings.append([.integer(id + 100), .integer(id), .text("calls/\(id).wav")])
            audio.putFile("calls/\(id).wav", contents: Data("RIFF\(id)".utf8))
        }
        crm.createTable("recordings", columns: ["id", "call_id", "path"], rows: recordings)
        return StoreSet([crm, audio])
    }

    static func discover(_ identifiers: [String], in stores: StoreSet, catalog: Catalog = catalog()) async throws -> DiscoveryResult {
        let subject = try DataSubject(parsing: identifiers, catalog: catalog)
        return try await Discovery(catalog: catalog, stores: stores).discover(subject)
    }
}
