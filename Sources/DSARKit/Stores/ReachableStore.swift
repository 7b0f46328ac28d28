/// A store that can tell, before any lookup, whether it is reachable with its settings: a
/// remote bucket that exists, credentials it accepts. `dsar check` asks every store that
/// conforms (``CatalogCheck``).
public protocol ReachableStore: DataStore {
    /// Throws a ``DSARError`` naming the store when it cannot be used (unreachable, credentials
    /// refused, its root missing); returns warnings (plain language, no personal data) otherwise.
    func checkReachable() async throws -> [String]
}
