import DSARKitService
import Foundation
import GRDB
import Testing

@Suite("Integration tokens")
struct IntegrationTokensTests {
    @Test("A token is dsar_ and 32 random bytes, shown once and stored only as its SHA-256; revoked, it no longer opens")
    func issue() async throws {
        let fixture = try await APIFixture()
        let issued = try await fixture.tokens.add(name: "portal", scope: .intake)
        #expect(issued.secret.hasPrefix("dsar_") && issued.secret.count == 5 + 43)
        #expect(Data(base64Encoded: String(issued.secret.dropFirst(5)).replacingOccurrences(of: "-", with: "+")
            .replacingOccurrences(of: "_", with: "/") + "=")?.count == 32)
        #expect(try await fixture.tokens.add(name: "other", scope: .status).secret != issued.secret)
        #expect(try await fixture.tokens.token(presenting: issued.secret)?.scope == .intake)
        #expect(try await fixture.tokens.token(presenting: issued.secret + "x") == nil)

        let file = try Data(contentsOf: fixture.folder.appendingPathComponent("dsar-service.sqlite"))
        #expect(file.range(of: Data(issued.secret.utf8)) == nil)
        #expect(file.range(of: Data(SQLiteIntegrationTokens.digest(of: issued.secret).utf8)) != nil)
        let mode = try FileManager.default.attributesOfItem(atPath: fixture.folder.appendingPathComponent("dsar-service.sqlite").path)[.posixPermissions] as? Int
        #expect(mode == 0o600)

        await #expect(throws: DSARServiceError.self) { try await fixture.tokens.add(name: "portal", scope: .status) }
        await #expect(throws: DSARServiceError.self) { try await fixture.tokens.add(name: "no spaces", scope: .status) }
        #expect(try await fixture.tokens.revoke(name: "portal"))
        #expect(try await fixture.tokens.token(presenting: issued.secret) == nil)
        #expect(try await !fixture.tokens.revoke(name: "portal"))
        let listed = try await fixture.tokens.list()
        #expect(listed.map(\.name) == ["portal", "other"] && listed[0].revokedAt != nil && listed[1].revokedAt == nil)
        #expect(try await fixture.tokens.add(name: "portal", scope: .intake).token.scope == .intake)
    }
}
