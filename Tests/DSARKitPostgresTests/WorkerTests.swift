import DSARKit
import DSARKitPostgres
import Foundation
import Logging
import PostgresNIO
import Testing

/// Several `dsar worker` processes sharing one PostgreSQL ledger.
@Suite("Shared ledger and workers", .serialized)
struct WorkerTests {
    /// A small synthetic call centre entirely in PostgreSQL (customers and their calls), and a
    /// catalog whose ledger is a schema of the same database.
    struct Fixture {
        let directory: URL
        let schema: String
        let client: PostgresClient
        var catalog: URL { directory.appendingPathComponent("dsar.yaml") }

        init(schema: String, client: PostgresClient, customers: Int) async throws {
            self.schema = schema
            self.client = client
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("dsar-workers-\(schema)")
            try? FileManager.default.removeItem(at: directory)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try await PostgresErasureTests.run(client, """
                CREATE TABLE \(schema).customers (id bigint PRIMARY KEY, email text NOT NULL, name text, notes text);
                CREATE TABLE \(schema).calls (id bigint PRIMARY KEY, customer_id bigint REFERENCES \(schema).customers(id),
                    caller text, notes text);
                CREATE INDEX ON \(schema).customers (lower(trim(email)));
                CREATE INDEX ON \(schema).calls (customer_id);
                INSERT INTO \(schema).customers
                    SELECT i, 'c' || i || '@example.com', 'O''Brien "' || i || '"; DROP TABLE x; --',
                           CASE WHEN i % 1000 = 7 THEN repeat('é''"\\', 200000) ELSE 'note ' || i END
                    FROM generate_series(1, \(customers)) AS i;
                INSERT INTO \(schema).calls
                    SELECT i, i, '+3361234' || lpad(i::text, 4, '0'), 'it''s "fine"' FROM generate_series(1, \(customers)) AS i;
                """)
            let url = PostgresTestServer.url ?? ""
            let yaml = """
                version: 1
                controller: { name: Atlas Contact SARL, contact: dpo@example.com }
                identifiers:
                  customer_id: { type: opaque }
                  email:       { type: email }
                stores:
                  crm: { type: postgres, url: "\(url)", passwordEnv: \(PostgresTestServer.passwordVariable), schema: \(schema), maxConnections: 3, connectTimeout: 60 }
                collections:
                  customers:
                    store: crm
                    table: customers
                    key: id
                    identifiers: { id: customer_id, email: email }
                    purpose: Managing your customer account
                    lawfulBasis: contract
                    retention: 3 years
                    erase: delete
                  calls:
                    store: crm
                    table: calls
                    key: id
                    references: { customer_id: customers.id }
                    purpose: Handling your calls
                    lawfulBasis: legitimate_interest
                    retention: 1 year
                    erase: delete
                ledger: "\(url)"
                ledgerPasswordEnv: \(PostgresTestServer.passwordVariable)
                ledgerSchema: \(schema)

                """
            try yaml.write(to: catalog, atomically: true, encoding: .utf8)
        }

        func dsar(_ arguments: [String], environment: [String: String] = [:]) throws -> (status: Int32, stdout: String, stderr: String) {
            let process = try start(arguments, environment: environment)
            let out = (process.standardOutput as! Pipe).fileHandleForReading.readDataToEndOfFile()
            let err = (process.standardError as! Pipe).fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
        }

        /// Starts `dsar`, or with `faults` the test-only `dsar-fault-harness` (the same commands,
        /// with the crash settings of `environment`).
        func start(_ arguments: [String], environment: [String: String] = [:], faults: Bool = false) throws -> Process {
            let name = faults ? "dsar-fault-harness" : "dsar"
            let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(name)
            let process = Process()
            process.executableURL = FileManager.default.isExecutableFile(atPath: binary.path) ? binary : URL(fileURLWithPath: ".build/debug/\(name)")
            process.arguments = arguments + (arguments.contains("--catalog") ? [] : ["--catalog", catalog.path])
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
            process.standardOutput = Pipe()
            process.standardError = Pipe()
            try process.run()
            return process
        }

        func scalar(_ sql: String) async throws -> String {
            let rows = try await client.query(PostgresQuery(unsafeSQL: "SELECT (\(sql))::text"))
            for try await text in rows.decode(String?.self) { return text ?? "NULL" }
            return ""
        }

        func removeFolder() {
            try? FileManager.default.removeItem(at: directory)
        }
    }

    @Test("4 workers drain 800 queued subjects, each erased exactly once, while one of them is SIGKILLed mid-subject")
    func fourWorkersOneKilled() async throws {
        guard PostgresTestServer.available() else { return }
        try await PostgresTestServer.withSchema { schema, client in
            // Thousands of subjects belong in Benchmarks; 800 keep every worker busy past the kill.
            let count = 800
            let fixture = try await Fixture(schema: schema, client: client, customers: count)
            let keys = try fixture.dsar(["keys", "generate"])
            #expect(keys.status == 0, "\(keys.stderr)")
            let batch = fixture.directory.appendingPathComponent("subjects.csv")
            try (["subject"] + (1...count).map { "customer_id:\($0)" }).joined(separator: "\n").write(to: batch, atomically: true, encoding: .utf8)
            let queued = try fixture.dsar(["erase", "--batch", batch.path, "--enqueue"])
            #expect(queued.status == 0, "\(queued.stderr)")
            #expect(queued.stdout.contains("Queued \(count) subject(s)"))
            #expect(try await fixture.scalar("SELECT count(*) FROM \(schema).queue WHERE status = 'queued'") == "\(count)")

            let start = Date()
            // Worker 0 kills itself (SIGKILL) after 101 steps: the calls of its ~51st subject are
            // deleted and journaled, the customer row is not.
            let workers = try (0..<4).map { index in
                try fixture.start(["worker", "--until-empty", "--outcomes", fixture.directory.appendingPathComponent("outcomes-\(index).jsonl").path],
                                  environment: index == 0 ? ["DSAR_FAULT_KILL_AFTER_STEP": "101"] : [:], faults: index == 0)
            }
            var outputs: [(Int32, Process.TerminationReason, String, String)] = []
            for process in workers {
                let out = (process.standardOutput as! Pipe).fileHandleForReading.readDataToEndOfFile()
                let err = (process.standardError as! Pipe).fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                outputs.append((process.terminationStatus, process.terminationReason, String(decoding: out, as: UTF8.self),
                                String(decoding: err, as: UTF8.self)))
            }
            print("4 workers, \(count) subjects, one killed: \(String(format: "%.1f", Date().timeIntervalSince(start))) s")
            #expect(outputs[0].1 == .uncaughtSignal && outputs[0].0 == SIGKILL, "worker 0 was killed: \(outputs[0])")
            for output in outputs.dropFirst() {
                #expect(output.0 == 0 && output.1 == .exit, "\(output.2) \(output.3.prefix(2000))")
                #expect(output.2.contains("0 incomplete, 0 failed"), "\(output.2)")
            }
            #expect(outputs.dropFirst().contains { $0.2.contains(", 1 resumed from another worker") }, "a live worker resumed the killed one's subject")

            let ledger = schema
            #expect(try await fixture.scalar("SELECT count(*) FROM \(ledger).queue WHERE status = 'completed'") == "\(count)")
            #expect(try await fixture.scalar("SELECT count(*) FROM \(ledger).queue WHERE identifiers IS NOT NULL") == "0", "identifiers purged")
            // Exactly once: one run per subject, planned once, completed once.
            #expect(try await fixture.scalar("SELECT count(*) FROM \(ledger).runs WHERE status = 'completed' AND plan IS NULL") == "\(count)")
            #expect(try await fixture.scalar("SELECT count(*) FROM \(ledger).runs") == "\(count)")
            #expect(try await fixture.scalar("""
                SELECT count(*) FROM (SELECT run_id FROM \(ledger).audit WHERE event = 'run.planned' GROUP BY run_id HAVING count(*) = 1) x
                """) == "\(count)")
            #expect(try await fixture.scalar("SELECT count(*) FROM \(ledger).audit WHERE event = 'run.completed'") == "\(count)")
            #expect(try await fixture.scalar("SELECT count(*) FROM \(ledger).audit WHERE event = 'run.resumed'") == "1")
            #expect(try await fixture.scalar("SELECT count(*) FROM \(ledger).runs r JOIN \(ledger).queue q ON q.request_id = r.id") == "\(count)")
            #expect(try await fixture.scalar("SELECT count(*) FROM \(schema).customers") == "0")
            #expect(try await fixture.scalar("SELECT count(*) FROM \(schema).calls") == "0")
            // The outcome files of the live workers name every subject once (the killed one's were recorded by others).
            var requestIDs: [String] = []
            for index in 1..<4 {
                let text = (try? String(contentsOf: fixture.directory.appendingPathComponent("outcomes-\(index).jsonl"), encoding: .utf8)) ?? ""
                requestIDs += text.split(separator: "\n").compactMap {
                    (try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["requestID"] as? String
                }
            }
            #expect(Set(requestIDs).count == requestIDs.count, "no subject recorded twice by live workers")
            let audit = try fixture.dsar(["audit", "verify"])
            #expect(audit.status == 0 && audit.stdout.contains("intact"), "\(audit.stdout) \(audit.stderr)")
            let again = try fixture.dsar(["worker", "--until-empty"])
            #expect(again.status == 0 && again.stdout.contains("Worker: 0 subjects"), "\(again.stdout)")
            fixture.removeFolder()
        }
    }

    @Test("The catalog names a shared ledger: url, password variable, schema, key folder, TLS; never a password in the url")
    func catalogKeys() throws {
        let base = """
            version: 1
            controller: { name: Atlas Contact SARL, contact: dpo@example.com }
            identifiers:
              customer_id: { type: opaque }
            stores:
              crm: { type: sqlite, path: crm.sqlite }
            collections:
              customers: { store: crm, table: customers, key: id, identifiers: { id: customer_id }, purpose: x,
                           lawfulBasis: contract, retention: 1 year, erase: delete }

            """
        let catalog = try Catalog.parse(yaml: base + """
            ledger: "postgres://dsar@db.internal:5432/dsar"
            ledgerPasswordEnv: DSAR_LEDGER_PASSWORD
            ledgerSchema: erasures
            ledgerKeys: keys
            ledgerTLS: require

            """, baseDirectory: URL(fileURLWithPath: "/srv/dsar"))
        #expect(catalog.hasPostgresLedger)
        #expect(catalog.ledgerSettings == ["passwordEnv": "DSAR_LEDGER_PASSWORD", "schema": "erasures", "keys": "keys", "tls": "require"])
        #expect(LedgerKeys(for: catalog).folder.path == "/srv/dsar/keys")
        #expect(throws: DSARError.self) { try Ledger(for: catalog) }
        do {
            _ = try PostgresLedger(catalog: catalog, environment: [:])
            Issue.record("a missing password variable must be an error")
        } catch let error as DSARError {
            #expect(error.message.contains("DSAR_LEDGER_PASSWORD"))
        }
        // A password in the url is refused when the catalog is read, naming the line, never the password.
        do {
            _ = try Catalog.parse(yaml: base + "ledger: \"postgres://dsar:hunter2@db.internal/dsar\"\n",
                                  baseDirectory: URL(fileURLWithPath: "/srv/dsar"))
            Issue.record("a password in the url must be refused")
        } catch let error as CatalogError {
            #expect(!error.description.contains("hunter2") && error.description.contains("ledgerPasswordEnv"))
        }
        let local = try Catalog.parse(yaml: base, baseDirectory: URL(fileURLWithPath: "/srv/dsar"))
        #expect(!local.hasPostgresLedger)
        #expect(LedgerKeys(for: local).folder.path == "/srv/dsar/.dsar")
    }

    @Test("A subject whose delete is blocked fails on the record and stays resumable; --enqueue needs a shared ledger")
    func blockedSubject() async throws {
        guard PostgresTestServer.available() else { return }
        try await PostgresTestServer.withSchema { schema, client in
            let fixture = try await Fixture(schema: schema, client: client, customers: 3)
            #expect(try fixture.dsar(["keys", "generate"]).status == 0)
            try await PostgresErasureTests.run(client, """
                CREATE TABLE \(schema).sessions (id bigint PRIMARY KEY, customer_id bigint CONSTRAINT sessions_fk REFERENCES \(schema).customers(id));
                INSERT INTO \(schema).sessions VALUES (1, 2);
                """)
            let queued = try fixture.dsar(["erase", "--subject", "customer_id:2", "--enqueue"])
            #expect(queued.status == 0, "\(queued.stderr)")
            let worker = try fixture.dsar(["worker", "--until-empty", "--concurrency", "2"])
            #expect(worker.status != 0 && worker.stdout.contains("1 failed"), "\(worker.stdout) \(worker.stderr)")
            let error = try await fixture.scalar("SELECT error FROM \(schema).queue")
            #expect(error.contains("sessions_fk"), "\(error)")
            #expect(try await fixture.scalar("SELECT status FROM \(schema).runs") == "executing")
            #expect(try await fixture.scalar("SELECT count(*) FROM \(schema).customers WHERE id = 2") == "1")
            let refused = try fixture.dsar(["erase", "--resume"])
            #expect(refused.status != 0 && refused.stderr.contains("dsar worker"))
            // --execute with a shared ledger: queued and erased at once by this process, certificate written.
            let certificate = fixture.directory.appendingPathComponent("cert.json").path
            let direct = try fixture.dsar(["erase", "--subject", "customer_id:3", "--execute", "--certificate", certificate])
            #expect(direct.status == 0 && direct.stdout.contains(": completed; 2 rows deleted"), "\(direct.stdout) \(direct.stderr)")
            let verified = try fixture.dsar(["certificate", "verify", certificate])
            #expect(verified.status == 0, "\(verified.stderr)")
            #expect(try await fixture.scalar("SELECT count(*) FROM \(schema).customers WHERE id = 3") == "0")
            try await client.query(PostgresQuery(unsafeSQL: "DELETE FROM \(schema).sessions"))
            let retried = try fixture.dsar(["worker", "--until-empty", "--retry-failed"])
            #expect(retried.status == 0 && retried.stdout.contains("1 completed") && retried.stdout.contains("1 resumed"), "\(retried.stdout) \(retried.stderr)")
            #expect(try await fixture.scalar("SELECT count(*) FROM \(schema).customers WHERE id = 2") == "0")
            #expect(try await fixture.scalar("SELECT string_agg(status, ',') FROM \(schema).runs") == "completed,completed")
            let sqliteLedger = fixture.directory.appendingPathComponent("sqlite.yaml")
            try (try String(contentsOf: fixture.catalog, encoding: .utf8)).components(separatedBy: "ledger:").first!
                .write(to: sqliteLedger, atomically: true, encoding: .utf8)
            let noQueue = try fixture.dsar(["erase", "--subject", "customer_id:1", "--enqueue", "--catalog", sqliteLedger.path])
            #expect(noQueue.status != 0 && noQueue.stderr.contains("shared ledger"), "\(noQueue.stderr)")
            fixture.removeFolder()
        }
    }
}
