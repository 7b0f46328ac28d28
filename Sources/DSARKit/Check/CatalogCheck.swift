import Logging

/// Checks a catalog against the real stores: every store reachable, every table, column and
/// folder present, and an index behind every lookup DSARKit will make.
public struct CatalogCheck: Sendable {
    public let catalog: Catalog
    public var logger: Logger

    public init(catalog: Catalog, logger: Logger = Logger(label: "dsar.check")) {
        self.catalog = catalog
        self.logger = logger
    }

    /// Opens each store (supplied ones are used as they are) and checks every collection.
    /// A store that cannot be opened is reported, not thrown.
    public func run(supplied: [any DataStore] = [], openers: [String: StoreOpener] = [:]) async -> [CatalogProblem] {
        var problems = catalog.validate() + catalog.placeholderProblems()
        problems += catalog.collections.compactMap { ErasureRuleCheck.keyProblem($0, catalog: catalog) }
        var opened = StoreSet(supplied)
        for declaration in catalog.stores where opened[declaration.name] == nil {
            do {
                opened = StoreSet(Array(opened.stores.values) + [
                    try StoreSet.openStore(declaration, catalog: catalog, openers: openers, readOnly: true, logger: logger),
                ])
            } catch {
                let place = catalog.place(declaration.location, fallback: "stores.\(declaration.name)")
                let message = (error as? DSARError)?.message ?? "store '\(declaration.name)' cannot be opened"
                problems.append(CatalogProblem(.error, place: place, message, fix: "check the store's path or settings"))
            }
        }
        problems += await check(stores: opened)
        return problems
    }

    /// Checks every collection against already opened stores.
    public func check(stores: StoreSet) async -> [CatalogProblem] {
        var problems: [CatalogProblem] = []
        for declaration in catalog.stores {
            guard let store = stores[declaration.name] as? any ReachableStore else { continue }
            let place = catalog.place(declaration.location, fallback: "stores.\(declaration.name)")
            do {
                for warning in try await store.checkReachable() { problems.append(CatalogProblem(.warning, place: place, warning)) }
            } catch {
                let message = (error as? DSARError)?.message ?? "store '\(declaration.name)' cannot be reached"
                problems.append(CatalogProblem(.error, place: place, message, fix: "check the store's settings and credentials"))
            }
        }
        var inspections: [String: CollectionInspection] = [:]
        for collection in catalog.collections {
            guard let store = stores[collection.store] else { continue }
            let place = "\(collection.store)/\(collection.table ?? collection.pattern?.text ?? collection.name)"
            do {
                let inspection = try await store.inspect(collection)
                guard inspection.exists else {
                    let what = collection.table.map { "table '\($0)'" } ?? "the pattern's folder"
                    problems.append(CatalogProblem(.error, place: place, "\(what) of collection '\(collection.name)' does not exist",
                                                   fix: "create it, or correct the catalog at \(catalog.place(collection.location, fallback: collection.name))"))
                    continue
                }
                inspections[collection.name] = inspection
                for column in collection.mentionedColumns where !inspection.columns.contains(column) {
                    problems.append(CatalogProblem(.error, place: place, "collection '\(collection.name)' names column '\(column)', which does not exist",
                                                   fix: "existing columns: " + inspection.columns.joined(separator: ", ")))
                }
                problems += ErasureRuleCheck.maskProblems(collection, inspection, catalog: catalog)
                problems += RetentionRuleCheck.problems(collection, inspection, catalog: catalog)
            } catch let error as DSARError where error.code == .unsupported {
                problems.append(CatalogProblem(.error, place: place, error.message,
                                               fix: "serve this collection from a store that supports it (a files store for sidecars)"))
            } catch let error as DSARError where error.code == .unreadable {
                problems.append(CatalogProblem(.error, place: place, error.message,
                                               fix: "make every folder and file of the store readable by dsar"))
            } catch {
                problems.append(CatalogProblem(.error, place: place, "cannot inspect collection '\(collection.name)'",
                                               fix: "check that the store is reachable"))
            }
        }
        for collection in catalog.collections {
            guard let inspection = inspections[collection.name] else { continue }
            problems += indexWarnings(collection, inspection, inspections)
        }
        return problems
    }

    private func indexWarnings(
        _ collection: DataCollection, _ inspection: CollectionInspection, _ all: [String: CollectionInspection]
    ) -> [CatalogProblem] {
        var problems: [CatalogProblem] = []
        let place = "\(collection.store)/\(collection.table ?? collection.name)"
        let table = collection.table ?? collection.name
        let storeType = catalog.store(named: collection.store)?.type
        for identifier in collection.identifiers where inspection.columns.contains(identifier.storedColumn) {
            // An identifier inside JSON is looked up by an expression only SQLite and PostgreSQL
            // stores index (others list the columns they scan).
            if !identifier.jsonPath.isEmpty, storeType != "sqlite", storeType != "postgres" { continue }
            let value = lookedUpExpression(identifier, inspection, postgres: storeType == "postgres")
            let indexName = "\(table)_\(identifier.column.replacingOccurrences(of: ".", with: "_"))"
            if catalog.identifierType(named: identifier.type)?.kind == .email {
                if !inspection.caseInsensitiveIndexedColumns.contains(identifier.column) {
                    let folded = storeType == "postgres" ? EmailFolding.postgresExpression(value) : EmailFolding.sqliteExpression(value)
                    let message = inspection.lowerCaseIndexedColumns.contains(identifier.column)
                        ? "email column '\(identifier.column)' has an index on lower(\(identifier.column)), which lookups cannot use: they " +
                          "compare the address trimmed of whitespace and with only ASCII letters lower-cased; every lookup reads the whole table"
                        : "email column '\(identifier.column)' has no case-insensitive index; every lookup reads the whole table"
                    problems.append(CatalogProblem(.warning, place: place, message, fix: Self.createIndex("\(indexName)_ci", on: table, folded)))
                }
            } else if identifier.extract == nil, !inspection.indexedColumns.contains(identifier.column) {
                // (An `extract` lookup scans the text for the value's spellings: no index serves it.)
                problems.append(CatalogProblem(.warning, place: place,
                    "identifier column '\(identifier.column)' has no index; every lookup reads the whole table",
                    fix: Self.createIndex(indexName, on: table, value)))
            }
        }
        // The column erasure looks rows up by to find who else links a file (a template's file name).
        if let column = collection.files?.lookup(forPaths: [])?.column, inspection.columns.contains(column),
           !inspection.indexedColumns.contains(column) {
            problems.append(CatalogProblem(.warning, place: place,
                "file column '\(column)' has no index; checking that no other row links a file to delete reads the whole table",
                fix: Self.createIndex("\(table)_\(column)", on: table, Self.quote(column))))
        }
        var advised = Set<String>()
        for reference in collection.references {
            // A polymorphic column is one column, whatever the number of its targets.
            if inspection.columns.contains(reference.column), !inspection.indexedColumns.contains(reference.column),
               advised.insert(reference.column).inserted {
                problems.append(CatalogProblem(.warning, place: place,
                    "reference column '\(reference.column)' has no index; finding children reads the whole table",
                    fix: Self.createIndex("\(table)_\(reference.column)", on: table, Self.quote(reference.column))))
            }
            guard let target = all[reference.targetCollection], let targetCollection = catalog.collection(named: reference.targetCollection) else { continue }
            if !target.columns.contains(reference.targetColumn) {
                problems.append(CatalogProblem(.error, place: place,
                    "reference '\(reference.column)' points at \(reference.targetCollection).\(reference.targetColumn), which does not exist",
                    fix: "existing columns: " + target.columns.joined(separator: ", ")))
            } else if !target.indexedColumns.contains(reference.targetColumn) {
                let targetTable = targetCollection.table ?? targetCollection.name
                problems.append(CatalogProblem(.warning, place: "\(targetCollection.store)/\(targetTable)",
                    "referenced column '\(reference.targetColumn)' has no index",
                    fix: Self.createIndex("\(targetTable)_\(reference.targetColumn)", on: targetTable, Self.quote(reference.targetColumn))))
            }
        }
        return problems
    }

    /// What lookups by `identifier` compare: the quoted column, or the value at its key inside JSON.
    private func lookedUpExpression(_ identifier: IdentifierColumn, _ inspection: CollectionInspection, postgres: Bool) -> String {
        let column = Self.quote(identifier.storedColumn)
        guard !identifier.jsonPath.isEmpty else { return column }
        guard postgres else { return JSONPathValue.sqliteExpression(column, path: identifier.jsonPath) }
        return JSONPathValue.postgresExpression(column, path: identifier.jsonPath,
                                                castToJSONB: inspection.columnFacts[identifier.storedColumn]?.type != "jsonb")
    }

    /// A `CREATE INDEX` statement with every name quoted, so reserved words (`user`) work.
    static func createIndex(_ name: String, on table: String, _ expression: String) -> String {
        "CREATE INDEX \(quote(name)) ON \(quote(table)) (\(expression))"
    }

    static func quote(_ identifier: String) -> String {
        "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
