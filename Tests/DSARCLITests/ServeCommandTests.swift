import CallCenterExample
import Foundation
import Testing

@Suite("dsar serve")
struct ServeCommandTests {
    @Test("`users add` prints a first password once; `dsar serve` then serves the console's sign-in page")
    func usersAddAndServe() async throws {
        let example = try CLI.example()
        let catalog = example.directory.appendingPathComponent("dsar.yaml").path
        let add = try CLI.run(["serve", "users", "add", "alice", "--catalog", catalog])
        #expect(add.status == 0, "\(add.stderr)")
        let password = try #require(add.stdout.components(separatedBy: "(shown once, not stored): ").last?
            .trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(password.count == 20)
        let database = example.directory.appendingPathComponent(".dsar/dsar-service.sqlite")
        #expect(FileManager.default.fileExists(atPath: database.path), "beside the ledger")
        let twice = try CLI.run(["serve", "users", "add", "alice", "--catalog", catalog])
        #expect(twice.status != 0 && twice.stderr.contains("already exists"))
        let badName = try CLI.run(["serve", "users", "add", "a b", "--catalog", catalog])
        #expect(badName.status != 0)
        #expect(try CLI.run(["serve", "--listen", "nowhere", "--catalog", catalog]).status != 0)

        let port = 20_000 + Int.random(in: 0..<20_000)
        let server = Process()
        server.executableURL = CLI.binary
        server.arguments = ["serve", "--catalog", catalog, "--listen", "127.0.0.1:\(port)"]
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        defer { server.terminate(); server.waitUntilExit() }
        var page: CLI.Output?
        for _ in 0..<300 {
            let fetched = try CLI.tool(["curl", "-s", "-i", "http://127.0.0.1:\(port)/console/sign-in"])
            if fetched.status == 0 { page = fetched; break }
            try await Task.sleep(for: .milliseconds(200))
        }
        let response = try #require(page, "dsar serve answered")
        #expect(response.stdout.hasPrefix("HTTP/1.1 200"))
        #expect(response.stdout.contains("<button type=\"submit\" id=\"sign-in\">Sign in</button>"))
        #expect(response.stdout.lowercased().contains("set-cookie: dsar_signin="))
    }
}
