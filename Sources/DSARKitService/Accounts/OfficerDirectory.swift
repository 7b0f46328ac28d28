import Foundation

/// Where the service keeps its officers and their sessions. ``SQLiteOfficerDirectory`` is the
/// shipped one (`--service-db`); any `Sendable` type can stand in.
public protocol OfficerDirectory: Sendable {
    /// Adds an officer; throws when the name is taken.
    func add(_ officer: Officer) async throws
    func officer(named name: String) async throws -> Officer?
    func save(_ session: OfficerSession) async throws
    /// The session whose id hashes to `idHash`, expired or not.
    func session(idHash: String) async throws -> OfficerSession?
    func deleteSession(idHash: String) async throws
}
