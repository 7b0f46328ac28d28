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

        let server = try await ServeProcess.start(catalog: catalog, in: example.directory)
        defer { server.stop() }
        let fetched = try CLI.tool(["curl", "-s", "-i", "\(server.base)/console/sign-in"])
        let response = try #require(fetched.status == 0 ? fetched : nil, "dsar serve answered")
        #expect(response.stdout.hasPrefix("HTTP/1.1 200"))
        #expect(response.stdout.contains("<button type=\"submit\" id=\"sign-in\">Sign in</button>"))
        #expect(response.stdout.lowercased().contains("set-cookie: dsar_signin="))
    }

    /// What must never appear in the server's output: Amel's address and numbers.
    static let personal = ["amel.benali@example.tn", "amel", "+216 98 123 456", "+21698123456", "98123456"]

    static func submission(_ id: String, type: String) -> [String: Any] {
        [
            "subject_request_id": id, "subject_request_type": type,
            "submitted_time": ISO8601DateFormatter().string(from: Date().addingTimeInterval(-60)),
            "subject_identities": [["identity_type": "email", "identity_value": "amel.benali@example.tn", "identity_format": "raw"]],
            "api_version": "0.1",
        ]
    }

    func requests(_ fixture: ErasureFixture) throws -> [[String: Any]] {
        let list = try fixture.dsar(["request", "list", "--json"])
        #expect(list.status == 0, "\(list.stderr)")
        return try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]] ?? []
    }

    @Test("The OpenDSR API and the IVR hook run beside the console, on the ledger and the tokens of the commands")
    func apiMounted() async throws {
        let fixture = try ErasureFixture.make()
        let intake = try fixture.dsar(["serve", "tokens", "add", "portal", "--scope", "intake"])
        let status = try fixture.dsar(["serve", "tokens", "add", "tracker", "--scope", "status"])
        #expect(intake.status == 0 && status.status == 0, "\(intake.stderr)\(status.stderr)")
        let intakeToken = intake.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let statusToken = status.stdout.trimmingCharacters(in: .whitespacesAndNewlines)

        let server = try await ServeProcess.start(catalog: fixture.catalog, in: fixture.directory)
        var printed = ""
        do {
            let discovery = try await server.send(.GET, "/discovery")
            #expect(discovery.status == 200)
            #expect(discovery.json["processor_certificate"] as? String == "\(server.base)/processor_certificate.pem")
            let certificate = try await server.send(.GET, "/processor_certificate.pem")
            #expect(certificate.text.hasPrefix("-----BEGIN CERTIFICATE-----"))
            let folder = fixture.directory.appendingPathComponent(".dsar")
            for file in ["processor.key.pem", "processor.cert.pem"] {
                let mode = try FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent(file).path)[.posixPermissions] as? Int
                #expect(mode == 0o600, "\(file) is owner-only")
            }
            #expect(try await server.send(.GET, "/console/sign-in").status == 200, "the console is served too")

            let id = UUID().uuidString.lowercased()
            let wrong = try await server.send(.POST, "/opengdpr_requests", token: "dsar_not-a-token", json: Self.submission(id, type: "erasure"))
            #expect(wrong.status == 401)
            let statusOnly = try await server.send(.POST, "/opengdpr_requests", token: statusToken, json: Self.submission(id, type: "erasure"))
            #expect(statusOnly.status == 403, "a status token cannot submit")
            #expect(try requests(fixture).isEmpty, "refused submissions open nothing")

            let created = try await server.send(.POST, "/opengdpr_requests", token: intakeToken, json: Self.submission(id, type: "erasure"))
            #expect(created.status == 201)
            #expect(created.json["controller_id"] as? String == "portal")
            let opened = try requests(fixture)
            #expect(opened.count == 1)
            #expect(opened.first?["kind"] as? String == "erasure" && opened.first?["channel"] as? String == "portal")
            #expect(opened.first?["status"] as? String == "open")

            let pending = try await server.send(.GET, "/opengdpr_requests/\(id)", token: statusToken)
            #expect(pending.status == 200 && pending.json["request_status"] as? String == "pending")
            let cancel = try await server.send(.DELETE, "/opengdpr_requests/\(id)", token: intakeToken)
            #expect(cancel.status == 202)
            let cancelled = try await server.send(.GET, "/opengdpr_requests/\(id)", token: statusToken)
            #expect(cancelled.json["request_status"] as? String == "cancelled")
            #expect(try requests(fixture).first?["status"] as? String == "cancelled")

            let ivr = try await server.send(.POST, "/consent-withdrawals", token: intakeToken,
                                            json: ["phone": "+216 98 123 456", "call_id": "1733050000.42"])
            #expect(ivr.status == 201)
            #expect(ivr.json["channel"] as? String == "ivr" && ivr.json["kind"] as? String == "consent-withdrawal")
            let withdrawal = try requests(fixture).first { $0["id"] as? String == ivr.json["request_id"] as? String }
            #expect(withdrawal?["channel"] as? String == "ivr" && withdrawal?["kind"] as? String == "consent-withdrawal")
            let noToken = try await server.send(.POST, "/consent-withdrawals", json: ["phone": "+216 98 123 456", "call_id": "x"])
            #expect(noToken.status == 401)
        } catch {
            server.stop()
            throw error
        }
        printed = server.stop()
        #expect(printed.contains("/console"))
        // A count, so a failure never prints what leaked.
        #expect(Self.personal.filter { printed.lowercased().contains($0) }.count == 0, "no personal data in the server's output")
    }
}
