import DSARKit
import DSARKitTesting
import Foundation

/// Customer 1 (the subject) and customer 2, their calls and recordings, in memory.
///
/// - calls 10 (customer 1, disputed, status DISPUTE), 11 and 13 (customer 1), 12 (customer 2).
/// - recordings 110…112 on calls 10…12; 113 (call 13) and 114 (call 13, under a legal hold)
///   point at one file `a/shared.wav`; 115 (call 11) and 116 (customer 2's call 12) point at
///   one file `a/other.wav`.
enum DisputeFixture {
    static let recordingsHold = HoldRule(column: "legal_hold", reason: "Investment order (MiFID II)")
    static let now = Date(timeIntervalSince1970: 1_796_083_200)  // 2026-12-01

    static func catalog(customers customerHold: HoldRule? = nil, calls callHold: HoldRule? = nil) -> Catalog {
        Catalog(
            controller: Controller(name: "Atlas Contact SARL", contact: "dpo@example.com"),
            identifiers: [IdentifierType(name: "customer_id", kind: .opaque)],
            stores: [StoreDeclaration(name: "crm", type: "memory"), StoreDeclaration(name: "audio", type: "memory")],
            collections: [
                DataCollection(name: "customers", store: "crm", table: "customers", key: ["id"],
                               identifiers: [IdentifierColumn(column: "id", type: "customer_id")], hold: customerHold),
                DataCollection(name: "calls", store: "crm", table: "calls", key: ["id"],
                               references: [Reference(column: "customer_id", targetCollection: "customers", targetColumn: "id")],
                               hold: callHold),
                DataCollection(name: "recordings", store: "crm", table: "recordings", key: ["id"],
                               references: [Reference(column: "call_id", targetCollection: "calls", targetColumn: "id")],
                               files: FileLink(column: "path", store: "audio"), hold: recordingsHold),
            ])
    }

    static let paths = ["a/10.wav", "a/11.wav", "a/12.wav", "a/shared.wav", "a/other.wav"]

    static func stores(litigationUntil: Value = .null) -> StoreSet {
        let crm = InMemoryStore(name: "crm")
        crm.createTable("customers", columns: ["id", "litigation_until"], rows: [[.integer(1), litigationUntil], [.integer(2), .null]])
        crm.createTable("calls", columns: ["id", "customer_id", "disputed", "status"], rows: [
            [.integer(10), .integer(1), .integer(1), .text("DISPUTE")],
            [.integer(11), .integer(1), .integer(0), .text("OK")],
            [.integer(12), .integer(2), .integer(0), .text("OK")],
            [.integer(13), .integer(1), .integer(0), .text("OK")],
        ])
        crm.createTable("recordings", columns: ["id", "call_id", "path", "legal_hold"], rows: [
            [.integer(110), .integer(10), .text("a/10.wav"), .integer(0)],
            [.integer(111), .integer(11), .text("a/11.wav"), .integer(0)],
            [.integer(112), .integer(12), .text("a/12.wav"), .integer(0)],
            [.integer(113), .integer(13), .text("a/shared.wav"), .integer(0)],
            [.integer(114), .integer(13), .text("a/shared.wav"), .integer(1)],
            [.integer(115), .integer(11), .text("a/other.wav"), .integer(0)],
            [.integer(116), .integer(12), .text("a/other.wav"), .integer(0)],
        ])
        let audio = InMemoryStore(name: "audio")
        for path in paths { audio.putFile(path, contents: Data(path.utf8)) }
        return StoreSet([crm, audio])
    }

    static func erasure(_ catalog: Catalog, _ stores: StoreSet) throws -> Erasure {
        let ledger = try Ledger(url: try ExampleData.temporaryFolder(UUID().uuidString).appendingPathComponent("ledger.sqlite"))
        try ledger.generateSigningKey()
        return Erasure(catalog: catalog, stores: stores, ledger: ledger, now: { now })
    }

    static func ids(_ stores: StoreSet, _ table: String) -> [Int64] {
        (stores["crm"] as! InMemoryStore).rows(of: table).compactMap { if case .integer(let id)? = $0["id"] { id } else { nil } }
    }

    static func existing(_ stores: StoreSet) async throws -> Set<String> {
        var found = Set<String>()
        for path in paths where try await (stores["audio"] as! InMemoryStore).file(at: path) != nil { found.insert(path) }
        return found
    }
}
