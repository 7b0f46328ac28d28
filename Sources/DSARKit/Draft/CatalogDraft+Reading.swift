extension CatalogDraft {
    /// Reads each store's schema and samples its columns.
    ///
    /// - Parameters:
    ///   - sources: the stores, with how the catalog will declare each.
    ///   - regions: ISO regions national phone numbers are read in (`["FR", "TN"]`).
    ///   - folders: folder stores (`type: files`) and buckets (`type: s3`), any ``ListableFileStore``: columns whose values are their files become
    ///     `files` links; the shapes of file names holding phone numbers, email addresses or a
    ///     table's keys, and files with a sidecar naming their caller, pattern collections.
    ///
    /// A column named like the key of a table that its own store lacks (`customer_id`) is compared
    /// with the keys of the other stores' tables: a guessed reference across stores.
    ///   - sampleSize: how many non-NULL values of each column are sampled.
    public static func read(_ sources: [(store: Store, source: any SchemaSource)], folders: [(store: Store, folder: any ListableFileStore)] = [],
                            regions: [String], sampleSize: Int = 1000) async throws -> CatalogDraft {
        var draft = CatalogDraft(stores: sources.map(\.store) + folders.map(\.store), collections: [], regions: regions, sampleSize: sampleSize)
        var listed: [DraftFolder] = []
        for (_, folder) in folders { listed.append(try await DraftFolder(folder)) }
        var schemas: [DraftSchema] = []
        var used: Set<String> = []
        for (store, source) in sources {
            let tables = try await source.schemaTables()
            var names: [String: String] = [:]
            for table in tables {
                let name = used.contains(table.name) ? "\(store.name)_\(table.name)" : table.name
                names[table.name] = name
                used.insert(name)
            }
            schemas.append(DraftSchema(store: store, source: source, tables: tables, names: names))
        }
        var covered: [String: Set<String>] = [:]
        for schema in schemas {
            for table in schema.tables {
                draft.collections.append(try await collection(table, of: schema, among: schemas, folders: listed, covered: &covered,
                                                              regions: regions, sampleSize: sampleSize))
            }
        }
        for folder in listed {
            draft.collections += try await fileCollections(folder, covered: covered[folder.store] ?? [], schemas: schemas, regions: regions,
                                                           taken: Set(draft.collections.map(\.name)), sampleSize: sampleSize)
        }
        draft.addRootKeys()
        return draft
    }

    /// One store's tables, as a draft reads them, with the collection name of each.
    struct DraftSchema: Sendable {
        let store: Store
        let source: any SchemaSource
        let tables: [SchemaTable]
        /// Collection names by table name (`crm_customers` when an earlier store has a `customers`).
        let names: [String: String]
    }

    private static func collection(_ table: SchemaTable, of schema: DraftSchema, among schemas: [DraftSchema], folders: [DraftFolder],
                                   covered: inout [String: Set<String>], regions: [String], sampleSize: Int) async throws -> Collection {
        let (tables, names, store, source) = (schema.tables, schema.names, schema.store.name, schema.source)
        var collection = Collection(name: names[table.name] ?? table.name, store: store, table: table.name, key: table.primaryKey,
                                    identifiers: [], references: [], notes: [])
        var referencing: Set<String> = []
        for key in table.foreignKeys {
            guard key.columns.count == 1, key.targetColumns.count == 1, let target = names[key.targetTable] else {
                collection.notes.append("composite foreign key (\(key.columns.joined(separator: ", "))) → \(key.targetTable): review by hand")
                continue
            }
            guard key.targetTable != table.name else {
                collection.notes.append("\(key.columns[0]) points at this table's own \(key.targetColumns[0]): not a reference the catalog follows")
                continue
            }
            referencing.insert(key.columns[0])
            collection.references.append(Reference(column: key.columns[0], targetCollection: target, targetColumn: key.targetColumns[0],
                                                   evidence: "declared foreign key", isGuess: false))
        }
        let polymorphic = try await polymorphicReferences(table, in: tables, names: names, skipping: referencing,
                                                          source: source, sampleSize: sampleSize)
        collection.references += polymorphic.references
        collection.notes += polymorphic.notes
        referencing.formUnion(polymorphic.references.map(\.column))
        for column in table.columns where !referencing.contains(column.name) {
            let values = try await source.sampleValues(table: table.name, column: column.name, limit: sampleSize)
            let repeated = ColumnEvidence.repeatedValue(values)
            if let evidence = ColumnEvidence.classify(column: column.name, values: values, regions: regions) {
                if let repeated {
                    collection.notes.append(ColumnEvidence.repeatedNote(column.name, kind: evidence.kind, repeated))
                    continue
                }
                collection.identifiers.append(Identifier(column: column.name, type: evidence.kind.rawValue,
                                                         evidence: evidence.summary, isGuess: false))
                continue
            }
            if let evidence = ColumnEvidence.classifyCallerIDs(values: values, regions: regions) {
                if let repeated {
                    collection.notes.append(ColumnEvidence.repeatedNote(column.name, kind: .phone, repeated))
                    continue
                }
                collection.identifiers.append(Identifier(column: column.name, type: "phone", evidence: evidence.summary + " between < and >",
                                                         isGuess: false, extract: ColumnEvidence.callerIDExtract))
                continue
            }
            var texts = values.compactMap { $0 }
            if texts.isEmpty, ["json", "jsonb"].contains(column.type.lowercased()) {
                texts = try await source.sampleJSONText(table: table.name, column: column.name, limit: sampleSize)
            }
            let inJSON = jsonIdentifiers(column: column.name, texts: texts, regions: regions)
            if !inJSON.isEmpty {
                collection.identifiers += inJSON
                continue
            }
            if collection.files == nil, !folders.isEmpty,
               let link = try await fileLink(column: column.name, values: texts, in: table, folders: folders, source: source, sampleSize: sampleSize) {
                collection.files = link.files
                covered[link.files.store, default: []].formUnion(link.covers)
                continue
            }
            guard !table.primaryKey.contains(column.name) else { continue }
            guard let parent = likelyParent(of: column.name, in: tables, besides: table.name), let target = names[parent.name] else {
                let across = try await crossStoreReference(column.name, of: table, in: schema, among: schemas, sampleSize: sampleSize)
                collection.references += across.references
                collection.notes += across.notes
                continue
            }
            let (sampled, found) = try await source.sampledValuesFound(table: table.name, column: column.name, parent: parent.name,
                                                                       parentColumn: parent.primaryKey[0], limit: sampleSize)
            guard sampled > 0, found == sampled else { continue }
            collection.references.append(Reference(
                column: column.name, targetCollection: target, targetColumn: parent.primaryKey[0],
                evidence: "guess: all \(ColumnEvidence.grouped(sampled)) sampled values found in \(parent.name).\(parent.primaryKey[0])",
                isGuess: true))
        }
        return collection
    }

    /// `customer_id` → the table `customer`, `customers` or `customeres`/`customies` with a one-column key.
    static func likelyParent(of column: String, in tables: [SchemaTable], besides own: String?) -> SchemaTable? {
        let lowered = column.lowercased()
        guard lowered.hasSuffix("_id"), lowered.count > 3 else { return nil }
        let base = String(lowered.dropLast(3))
        var candidates = [base, base + "s", base + "es"]
        if base.hasSuffix("y") { candidates.append(String(base.dropLast()) + "ies") }
        return tables.first { $0.name != own && candidates.contains($0.name.lowercased()) && $0.primaryKey.count == 1 }
    }

    /// The key of a table holding emails or phone numbers, pointing at no other table (but its
    /// tenant, `account_id`), that other tables point at (not through a tenant column) names a person (`customers.id` → `customer_id`; not `calls.id`, a call being
    /// under its customer): added as an opaque identifier, marked as a guess.
    mutating func addRootKeys() {
        for index in collections.indices {
            let collection = collections[index]
            guard collection.key.count == 1, !collection.identifiers.isEmpty,
                  collection.references.allSatisfy({ Self.isTenantColumn($0.column) }),
                  !collection.identifiers.contains(where: { $0.column == collection.key[0] }) else { continue }
            let pointing = collections.filter { other in
                other.name != collection.name && other.references.contains {
                    $0.targetCollection == collection.name && $0.targetColumn == collection.key[0] && !Self.isTenantColumn($0.column)
                }
            }.count
            guard pointing > 0 else { continue }
            collections[index].identifiers.insert(Identifier(
                column: collection.key[0], type: Self.singular(collection.table) + "_id",
                evidence: "guess: key of a table holding contact identifiers that \(pointing) table\(pointing == 1 ? "" : "s") point at",
                isGuess: true), at: 0)
        }
    }

    /// `account_id`, `tenant_id`, …: the column of a multi-tenant database naming whose installation
    /// a row is in. A reference through it never makes the row a person's, nor its target a person.
    static func isTenantColumn(_ column: String) -> Bool {
        ["account_id", "tenant_id", "organization_id", "organisation_id", "company_id", "workspace_id"].contains(column.lowercased())
    }

    static func singular(_ table: String) -> String {
        let name = table.lowercased().map { $0.isLetter || $0.isNumber ? String($0) : "_" }.joined()
        if name.hasSuffix("ies") { return String(name.dropLast(3)) + "y" }
        if name.hasSuffix("s"), !name.hasSuffix("ss") { return String(name.dropLast()) }
        return name
    }
}
