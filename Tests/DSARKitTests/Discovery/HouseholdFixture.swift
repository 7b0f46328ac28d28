import DSARKit
import DSARKitTesting
import Foundation

/// A small call centre in memory: Amel and Youssef share a household landline.
///
/// - customers 1 Amel (email A, mobile M), 2 Youssef (email Y, mobile P = the household line),
///   3 Amel's second account (same email A, no phone).
/// - calls 10 Amel from P, 11 Youssef from P, 12 anonymous from P, 13 anonymous from M,
///   14 Amel handled by agent 900, 15 account 3.
/// - recordings 100…105 on calls 10…15; agents 900 (an employee with an email).
/// - orders 50 (Amel) and 51 (another customer, 4) shipped to address 70.
/// - voicemails from M (written 0021698123456) and from P (written 0145678910).
enum HouseholdFixture {
    static let catalog = Catalog(
        controller: Controller(name: "Atlas Contact SARL", contact: "dpo@example.com"),
        identifiers: [
            IdentifierType(name: "customer_id", kind: .opaque),
            IdentifierType(name: "email", kind: .email),
            IdentifierType(name: "phone", kind: .phone, region: "FR", shared: true),
        ],
        stores: [StoreDeclaration(name: "crm", type: "memory"), StoreDeclaration(name: "audio", type: "memory")],
        collections: [
            DataCollection(name: "customers", store: "crm", table: "customers", key: ["id"], identifiers: [
                IdentifierColumn(column: "id", type: "customer_id"), IdentifierColumn(column: "email", type: "email"),
                IdentifierColumn(column: "mobile", type: "phone"),
            ]),
            DataCollection(name: "agents", store: "crm", table: "agents", key: ["id"],
                           identifiers: [IdentifierColumn(column: "email", type: "email")]),
            DataCollection(name: "calls", store: "crm", table: "calls", key: ["id"],
                           identifiers: [IdentifierColumn(column: "caller", type: "phone")],
                           references: [Reference(column: "customer_id", targetCollection: "customers", targetColumn: "id"),
                                        Reference(column: "agent_id", targetCollection: "agents", targetColumn: "id")]),
            DataCollection(name: "recordings", store: "crm", table: "recordings", key: ["id"],
                           references: [Reference(column: "call_id", targetCollection: "calls", targetColumn: "id")],
                           files: FileLink(column: "path", store: "audio")),
            DataCollection(name: "addresses", store: "crm", table: "addresses", key: ["id"]),
            DataCollection(name: "orders", store: "crm", table: "orders", key: ["id"],
                           references: [Reference(column: "customer_id", targetCollection: "customers", targetColumn: "id"),
                                        Reference(column: "address_id", targetCollection: "addresses", targetColumn: "id")]),
            DataCollection(name: "voicemails", store: "audio", pattern: try! FilePattern("voicemail/{phone}_{received}.wav"),
                           identifiers: [IdentifierColumn(column: "phone", type: "phone")]),
        ])

    static func stores() -> StoreSet {
        let crm = InMemoryStore(name: "crm")
        crm.createTable("customers", columns: ["id", "email", "mobile"], rows: [
            [.integer(1), .text("Amel.BenAli@Example.TN"), .text("+216 98 123 456")],
            [.integer(2), .text("youssef@example.fr"), .text("01 45 67 89 10")],
            [.integer(3), .text("amel.benali@example.tn "), .null],
            [.integer(4), .text("other@example.fr"), .text("06 00 00 00 01")],
        ])
        crm.createTable("agents", columns: ["id", "email"], rows: [[.integer(900), .text("agent.karim@atlas.example")]])
        crm.createTable("calls", columns: ["id", "customer_id", "agent_id", "caller"], rows: [
            [.integer(10), .integer(1), .null, .text("+33 1 45 67 89 10")],
            [.integer(11), .integer(2), .null, .text("0145678910")],
            [.integer(12), .null, .null, .text("+33145678910")],
            [.integer(13), .null, .null, .text("0021698123456")],
            [.integer(14), .integer(1), .integer(900), .text("+21698123456")],
            [.integer(15), .integer(3), .null, .null],
        ])
        crm.createTable("recordings", columns: ["id", "call_id", "path"], rows: (10...15).map {
            [.integer(Int64(90 + $0)), .integer(Int64($0)), .text("calls/call-\($0).wav")]
        })
        crm.createTable("addresses", columns: ["id", "street"], rows: [[.integer(70), .text("12 rue de Marseille, Tunis")]])
        crm.createTable("orders", columns: ["id", "customer_id", "address_id"], rows: [
            [.integer(50), .integer(1), .integer(70)], [.integer(51), .integer(4), .integer(70)],
        ])
        let audio = InMemoryStore(name: "audio")
        for call in 10...15 { audio.putFile("calls/call-\(call).wav", contents: Data("RIFF\(call)".utf8)) }
        audio.putFile("voicemail/0021698123456_20260402T090000.wav", contents: Data("RIFF-m".utf8))
        audio.putFile("voicemail/0145678910_20260312T101500.wav", contents: Data("RIFF-p".utf8))
        return StoreSet([crm, audio])
    }

    static func discover(_ identifiers: String...) async throws -> DiscoveryResult {
        let subject = try DataSubject(parsing: identifiers, catalog: catalog)
        return try await Discovery(catalog: catalog, stores: stores()).discover(subject)
    }
}

extension DiscoveryResult {
    /// `collection:key` of every included record, e.g. `calls:10`.
    var recordNames: Set<String> { Set(records.map { "\($0.id.collection):\($0.id.key.values.map(\.description).joined(separator: ","))" }) }
    var conflictNames: Set<String> { Set(conflicts.map { "\($0.id.collection):\($0.id.key.values.map(\.description).joined(separator: ","))" }) }
    var ambiguousNames: Set<String> { Set(ambiguous.map { "\($0.id.collection):\($0.id.key.values.map(\.description).joined(separator: ","))" }) }
}
