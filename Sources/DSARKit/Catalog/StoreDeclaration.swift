/// A store named in the catalog: where records or files live.
public struct StoreDeclaration: Sendable, Hashable {
    /// `sqlite`, `files`, or the type of a store you supply yourself (`postgres`, …).
    public var type: String
    public var name: String
    /// Every other setting of the store (`path`, `root`, `url`, …), as written.
    public var settings: [String: String]
    /// The tenant this controller answers for in a shared database (`scope: { account_id: 3 }`):
    /// rows of the store's collections that do not meet it are never read as anyone's.
    /// A collection's own `scope` replaces it.
    public var scope: [ColumnCondition]
    public var location: SourceLocation?

    public init(name: String, type: String, settings: [String: String] = [:], scope: [ColumnCondition] = [],
                location: SourceLocation? = nil) {
        self.name = name
        self.type = type
        self.settings = settings
        self.scope = scope
        self.location = location
    }

    public static func sqlite(_ name: String, path: String) -> StoreDeclaration {
        StoreDeclaration(name: name, type: "sqlite", settings: ["path": path])
    }

    public static func files(_ name: String, root: String) -> StoreDeclaration {
        StoreDeclaration(name: name, type: "files", settings: ["root": root])
    }
}
