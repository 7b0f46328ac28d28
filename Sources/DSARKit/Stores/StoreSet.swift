import Foundation
import Logging

/// The stores a catalog names, opened and ready, by name.
///
/// Built-in types (`sqlite`, `files`) are opened from the catalog's settings; stores of any
/// other type (or replacements for built-in ones, in tests) are passed in.
public struct StoreSet: Sendable {
    public private(set) var stores: [String: any DataStore]

    /// Wraps stores you opened yourself.
    public init(_ stores: [any DataStore]) {
        self.stores = Dictionary(stores.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Opens every store of `catalog`. `supplied` stores are used as they are, by name;
    /// `openers` open further store types (for example `postgres`).
    public static func open(
        for catalog: Catalog,
        supplied: [any DataStore] = [],
        openers: [String: StoreOpener] = [:],
        readOnly: Bool = true,
        logger: Logger = Logger(label: "dsar")
    ) throws -> StoreSet {
        var set = StoreSet(supplied)
        for declaration in catalog.stores where set.stores[declaration.name] == nil {
            set.stores[declaration.name] = try openStore(declaration, catalog: catalog, openers: openers,
                                                         readOnly: readOnly, logger: logger)
        }
        return set
    }

    /// Opens one declared store.
    static func openStore(
        _ declaration: StoreDeclaration, catalog: Catalog, openers: [String: StoreOpener], readOnly: Bool, logger: Logger
    ) throws -> any DataStore {
        if let opener = openers[declaration.type] {
            return try opener(declaration, catalog.baseDirectory, logger)
        }
        switch declaration.type {
        case "sqlite":
            let path = resolve(declaration.settings["path"] ?? "", against: catalog.baseDirectory)
            return try SQLiteStore(name: declaration.name, path: path.path, readOnly: readOnly, logger: logger)
        case "files":
            let root = resolve(declaration.settings["root"] ?? "", against: catalog.baseDirectory)
            return try FolderStore(name: declaration.name, root: root, logger: logger)
        default:
            throw DSARError(.unknownStore, "no store of type '\(declaration.type)' is available for '\(declaration.name)'",
                            location: catalog.place(declaration.location, fallback: "stores.\(declaration.name)"))
        }
    }

    public subscript(name: String) -> (any DataStore)? { stores[name] }

    /// The store of `collection`, or an error naming it.
    public func store(for collection: DataCollection) throws -> any DataStore {
        guard let store = stores[collection.store] else {
            throw DSARError(.unknownStore, "no store '\(collection.store)' was opened", location: collection.name)
        }
        return store
    }

    /// The file store named `name`, or an error.
    public func fileStore(named name: String) throws -> any FileStore {
        guard let store = stores[name] as? any FileStore else {
            throw DSARError(.unknownStore, "store '\(name)' is not a files store", location: name)
        }
        return store
    }

    static func resolve(_ path: String, against base: URL) -> URL {
        path.hasPrefix("/") ? URL(fileURLWithPath: path) : base.appendingPathComponent(path)
    }
}

/// Opens a store of a type DSARKit does not build in, from its catalog declaration.
public typealias StoreOpener = @Sendable (StoreDeclaration, _ baseDirectory: URL, Logger) throws -> any DataStore
