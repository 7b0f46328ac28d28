import Foundation
import Testing

@Suite("Examples/EmbeddedService")
struct EmbeddedServiceTests {
    @Test("The example service answers its own routes and DSARKit's, over its own stores passed in code")
    func ownAndDSARKitRoutes() async throws {
        let fixture = try ErasureFixture.make()
        let intake = try fixture.dsar(["serve", "tokens", "add", "ivr", "--scope", "intake"])
        #expect(intake.status == 0, "\(intake.stderr)")
        let token = intake.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let service = try await ServeProcess.launch(CLI.embeddedService, [fixture.catalog], in: fixture.directory)
        do {
            let health = try await service.send(.GET, "/health")
            #expect(health.status == 200 && health.text == "ok")
            let count = try await service.send(.GET, "/app/customers/count")
            #expect(count.status == 200 && Int(count.text) == 12, "the app's own route reads its own database")
            let signIn = try await service.send(.GET, "/console/sign-in")
            #expect(signIn.status == 200 && signIn.text.contains("id=\"sign-in\""))
            let discovery = try await service.send(.GET, "/discovery")
            #expect(discovery.status == 200 && discovery.json["api_version"] as? String == "0.1")
            let ivr = try await service.send(.POST, "/consent-withdrawals", token: token,
                                             json: ["phone": "+216 98 123 456", "call_id": "embedded-1"])
            #expect(ivr.status == 201)
            let list = try fixture.dsar(["request", "list", "--json"])
            #expect(list.stdout.contains("\"channel\" : \"ivr\"") || list.stdout.contains("\"channel\":\"ivr\""),
                    "the request landed in the ledger the commands read")
        } catch {
            service.stop()
            throw error
        }
        let printed = service.stop()
        #expect(ServeCommandTests.personal.filter { printed.lowercased().contains($0) }.count == 0)
    }
}
