import Foundation
import Testing

/// Which ledger a CLI test runs on: the SQLite file beside the catalog, or a fresh schema of
/// the PostgreSQL server `.ci/postgres.sh` starts (`DSAR_TEST_POSTGRES_URL`,
/// `DSAR_TEST_POSTGRES_PASSWORD`). Without a server the PostgreSQL case is left out, and says
/// so; in CI (`CI=true`) it runs and fails.
enum LedgerKind: String, Sendable, CustomTestStringConvertible {
    case sqlite, postgres

    var testDescription: String { rawValue }

    static let url = ProcessInfo.processInfo.environment["DSAR_TEST_POSTGRES_URL"]

    static let available: [LedgerKind] = {
        if url != nil || ProcessInfo.processInfo.environment["CI"] == "true" { return [.sqlite, .postgres] }
        print("PostgreSQL ledger cases skipped: DSAR_TEST_POSTGRES_URL is not set (run `source .ci/postgres.sh` first)")
        return [.sqlite]
    }()
}

extension ErasureFixture {
    /// A fixture whose catalog names `ledger`; the PostgreSQL one in a schema of its own, with
    /// the fixture's `.dsar` key folder.
    static func make(ledger: LedgerKind, _ name: String = #function) throws -> ErasureFixture {
        let fixture = try make(large: false, name)
        if ledger == .postgres { try fixture.useSharedLedger(schema: "cli_" + UUID().uuidString.lowercased().filter { $0 != "-" }) }
        return fixture
    }

    /// Points the catalog at the PostgreSQL ledger in `schema`.
    func useSharedLedger(schema: String) throws {
        guard let url = LedgerKind.url else {
            throw CLIFixtureError("CI must provide PostgreSQL: DSAR_TEST_POSTGRES_URL is not set (source .ci/postgres.sh)")
        }
        let yaml = try String(contentsOfFile: catalog, encoding: .utf8) +
            "ledger: \"\(url)\"\nledgerPasswordEnv: DSAR_TEST_POSTGRES_PASSWORD\nledgerSchema: \(schema)\n"
        try yaml.write(toFile: catalog, atomically: true, encoding: .utf8)
    }
}

struct CLIFixtureError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
