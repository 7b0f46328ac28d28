import Foundation
import Testing

@Suite("dsar serve tokens")
struct ServeTokensCommandTests {
    @Test("add prints a dsar_ token once, beside the ledger by default; list never shows it; revoke marks it")
    func addListRevoke() throws {
        let example = try CLI.example()
        defer { try? FileManager.default.removeItem(at: example.directory) }
        let catalog = ["--catalog", example.catalogURL.path]
        let added = try CLI.run(["serve", "tokens", "add", "crm-portal", "--scope", "intake"] + catalog)
        #expect(added.status == 0, "\(added.stderr)")
        let token = added.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(token.hasPrefix("dsar_") && token.count == 48)
        #expect(added.stderr.contains("shown once"))
        let file = example.directory.appendingPathComponent(".dsar/dsar-service.sqlite")
        let mode = try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(try Data(contentsOf: file).range(of: Data(token.utf8)) == nil)

        let listed = try CLI.run(["serve", "tokens", "list"] + catalog)
        #expect(listed.status == 0 && listed.stdout.contains("crm-portal\tintake") && !listed.stdout.contains(token))
        let bad = try CLI.run(["serve", "tokens", "add", "other", "--scope", "admin"] + catalog)
        #expect(bad.status != 0)
        #expect(try CLI.run(["serve", "tokens", "revoke", "crm-portal"] + catalog).status == 0)
        #expect(try CLI.run(["serve", "tokens", "list"] + catalog).stdout.contains("revoked"))
        #expect(try CLI.run(["serve", "tokens", "revoke", "crm-portal"] + catalog).status != 0)
    }
}
