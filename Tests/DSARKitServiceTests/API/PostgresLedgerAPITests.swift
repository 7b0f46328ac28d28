import DSARKit
import DSARKitPostgres
import DSARKitService
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

@Suite("API on a shared PostgreSQL ledger")
struct PostgresLedgerAPITests {
    @Test("An OpenDSR request and an IVR withdrawal land in the shared ledger; status and cancellation read and write it")
    func sharedLedger() async throws {
        guard let url = ProcessInfo.processInfo.environment["DSAR_TEST_POSTGRES_URL"] else {
            if ProcessInfo.processInfo.environment["CI"] == "true" {
                Issue.record("CI must provide PostgreSQL: DSAR_TEST_POSTGRES_URL is not set (source .ci/postgres.sh)")
            } else {
                print("PostgreSQL API test skipped: DSAR_TEST_POSTGRES_URL is not set (run `source .ci/postgres.sh` first)")
            }
            return
        }
        let keys = FileManager.default.temporaryDirectory.appendingPathComponent("dsar-api-pg-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: keys) }
        let schema = "api_" + UUID().uuidString.prefix(12).lowercased().filter { $0.isLetter || $0.isNumber }
        let catalog = try Catalog.parse(yaml: """
            version: 1
            controller: { name: Atlas Contact SARL, contact: dpo@example.com }
            identifiers: { email: { type: email }, phone: { type: phone, region: TN } }
            stores: { crm: { type: memory } }
            collections:
              customers: { store: crm, table: customers, key: id, identifiers: { email: email, mobile: phone }, purpose: Accounts, lawfulBasis: contract, retention: 1 year, erase: delete }
            ledger: "\(url)"
            ledgerPasswordEnv: DSAR_TEST_POSTGRES_PASSWORD
            ledgerSchema: \(schema)
            ledgerKeys: \(keys.path)

            """, baseDirectory: keys)
        _ = try LedgerKeys(folder: keys).maskingKey()
        let ledger = try PostgresLedger(catalog: catalog, environment: ProcessInfo.processInfo.environment, logger: Logger(label: "test"))
        defer { ledger.close() }
        let fixture = try await APIFixture(ledger: ledger)
        let intake = try await fixture.issue("portal", .intake)
        let status = try await fixture.issue("dashboard", .status)
        try await fixture.application().test(.router) { client async throws in
            #expect(try await client.execute(uri: "/opengdpr_requests", method: .post, headers: .bearer(intake),
                                             body: OpenDSRBody().with("subject_request_type", "access").buffer).status == .created)
            let withdrawal = try await client.execute(uri: "/consent-withdrawals", method: .post, headers: .bearer(intake),
                                                      body: ByteBuffer(string: #"{"phone": "98 123 456", "call_id": "pg-1"}"#))
            #expect(withdrawal.status == .created)
            let polled = try await client.execute(uri: "/opengdpr_requests/\(OpenDSRBody.id)", method: .get, headers: .bearer(status))
            #expect(polled.json["request_status"] as? String == "pending")
            #expect(try await client.execute(uri: "/opengdpr_requests/\(OpenDSRBody.id)", method: .delete, headers: .bearer(intake)).status == .accepted)
        }
        let requests = try await ledger.allRequests().sorted { $0.id < $1.id }
        #expect(requests.map(\.kind) == [.access, .consentWithdrawal])
        #expect(requests.map(\.status) == [.cancelled, .open])
        #expect(requests.map(\.channel) == [.portal, .ivr])
    }
}
