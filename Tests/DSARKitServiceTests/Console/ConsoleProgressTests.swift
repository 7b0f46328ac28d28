import DSARKit
import DSARKitService
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Console runs: progress")
struct ConsoleProgressTests {
    @Test("While a run works, its page shows counts only and refreshes itself; a second Run is refused; a failed run is said so, with the form again")
    func progressPage() async throws {
        let fixture = try await ConsoleFixture()
        let password = try await fixture.addOfficer()
        let request = try await fixture.book.open(.erasure, subject: try fixture.subject("email:\(ConsoleFixture.amelEmail)"))
        try await fixture.book.verify(request.id, method: "called back on the number on file")
        let gate = RunQueueTests.Gate()
        try await fixture.application().test(.router) { client in
            let browser = ConsoleSession(client)
            try await browser.signIn("alice", password)
            try await fixture.service.runs.submit(request.id, kind: .erasure, officer: "alice", at: Date()) { progress in
                progress.report("erasing", done: 4, total: 9)
                await gate.wait()
                throw DSARError(.storeFailure, "the store went away", location: "crm")
            }
            _ = try await RunQueueTests.running(fixture.service.runs, request.id)
            let page = try await browser.get("/console/requests/\(request.id)/run")
            #expect(page.status == .ok)
            #expect(page.text.contains("<meta http-equiv=\"refresh\" content=\"1\">"))
            #expect(page.text.contains("<p id=\"progress\" data-state=\"running\">erasing: step 4 of 9</p>"))
            #expect(!page.text.contains("id=\"approve\""), "no second Run while one works")
            #expect(ConsoleFixture.leaks(in: page.text) == 0)
            let french = try await browser.get("/console/requests/\(request.id)/run?lang=fr")
            #expect(french.text.contains("effacement : étape 4 sur 9") || french.text.contains("effacement: étape 4 sur 9"))
            try await browser.get("/console/requests/\(request.id)/run?lang=en")
            let again = try await browser.post("/console/requests/\(request.id)/run", [:])
            #expect(again.status == .conflict, "a second run of the same request waits for the first")

            gate.open()
            await fixture.service.runs.finished(request.id)
            let failed = try await browser.get("/console/requests/\(request.id)/run").text
            #expect(failed.contains("id=\"run-failed\"") && failed.contains("storeFailure: the store went away"))
            #expect(failed.contains("id=\"approve\""), "the plan and its Run button come back")
            #expect(!failed.contains("http-equiv=\"refresh\""))
        }
    }

    @Test("After a restart, a run the stop cut short is shown as interrupted, with the form that runs it again")
    func interruptedAfterRestart() async throws {
        let fixture = try await ConsoleFixture()
        let password = try await fixture.addOfficer()
        let request = try await fixture.book.open(.erasure, subject: try fixture.subject("customer_id:2"))
        try await fixture.book.verify(request.id, method: "ID card at the counter")
        let serviceFile = fixture.folder.appendingPathComponent(".dsar/dsar-service.sqlite")
        let key = try ProcessorKey.generate(domain: "dsar.example.test")
        func service() throws -> DSARService {
            DSARService(DSARService.Configuration(
                catalog: ConsoleFixture.catalog, book: fixture.book, officers: fixture.officers, openStores: { _ in fixture.stores },
                packagesFolder: fixture.packagesFolder,
                api: IntegrationAPI(database: try APIDatabase(path: serviceFile.path), key: key,
                                    openDSR: OpenDSRConfiguration(publicURL: "https://dsar.example.test")),
                logger: RunQueueTests.quiet))
        }
        let before = try service()
        let gate = RunQueueTests.Gate()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await before.runs.run() }
            try await before.runs.submit(request.id, kind: .erasure, officer: "alice", at: Date()) { progress in
                progress.report("erasing", done: 1, total: 9)
                await gate.wait()
                throw CancellationError()
            }
            _ = try await RunQueueTests.running(before.runs, request.id)

            // The server is killed here and starts again over the same service file.
            let after = try service()
            let router = Router(context: DSARRequestContext.self)
            after.addRoutes(to: router)
            try await Application(router: router, services: [after]).test(.router) { client in
                let browser = ConsoleSession(client)
                try await browser.signIn("alice", password)
                let page = try await browser.get("/console/requests/\(request.id)/run").text
                #expect(page.contains("id=\"run-interrupted\""))
                #expect(page.contains("id=\"approve\""), "the plan and its Run button, to finish it")
                #expect(!page.contains("http-equiv=\"refresh\""))
            }
            gate.open()
            group.cancelAll()
        }
    }
}
