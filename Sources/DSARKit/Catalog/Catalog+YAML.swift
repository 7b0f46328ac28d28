import Foundation
import Yams

extension Catalog {
    /// Reads and validates a catalog file. Relative store paths are resolved against the
    /// file's folder. Throws ``CatalogError`` listing every problem with its line and column.
    public static func load(from url: URL) throws -> Catalog {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw DSARError(.invalidCatalog, "cannot read the catalog file; check the path or pass --catalog",
                            location: url.path, cause: error)
        }
        return try parse(yaml: text, sourceName: url.lastPathComponent,
                         baseDirectory: url.deletingLastPathComponent())
    }

    /// Parses and validates a catalog from YAML text.
    public static func parse(yaml: String, sourceName: String = "catalog", baseDirectory: URL) throws -> Catalog {
        var reader = CatalogYAMLReader(sourceName: sourceName)
        let catalog = reader.read(yaml: yaml, baseDirectory: baseDirectory)
        var problems = reader.problems
        if let catalog { problems += catalog.validate() }
        guard let catalog, !problems.contains(where: { $0.severity == .error }) else {
            throw CatalogError(problems: problems)
        }
        return catalog
    }
}

/// Turns YAML nodes into a ``Catalog``, collecting problems with their places.
struct CatalogYAMLReader {
    let sourceName: String
    private(set) var problems: [CatalogProblem] = []

    init(sourceName: String) { self.sourceName = sourceName }

    mutating func read(yaml: String, baseDirectory: URL) -> Catalog? {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: yaml) else {
                error(nil, "the catalog is empty", fix: "start from the example in the README")
                return nil
            }
            root = node
        } catch let yamlError as YamlError {
            problems.append(Self.problem(from: yamlError, sourceName: sourceName))
            return nil
        } catch {
            self.error(nil, "the catalog is not valid YAML")
            return nil
        }
        guard let top = root.mapping else {
            error(root, "the catalog must be a mapping with version, controller, identifiers, stores and collections")
            return nil
        }
        allowOnly(["version", "controller", "identifiers", "stores", "collections", "ledger", "ledgerPasswordEnv", "ledgerSchema",
                   "ledgerKeys", "ledgerTLS"], in: top, what: "the catalog")
        let version = top["version"].flatMap(\.int) ?? 0
        if version != 1 { error(top["version"] ?? root, "version must be 1", fix: "add 'version: 1'") }

        let controller = readController(top["controller"], parent: root)
        var identifiers: [IdentifierType] = []
        for (name, node) in entries(top["identifiers"], named: "identifiers", parent: root) {
            if let type = readIdentifierType(name: name, node: node) { identifiers.append(type) }
        }
        var stores: [StoreDeclaration] = []
        for (name, node) in entries(top["stores"], named: "stores", parent: root) {
            if let store = readStore(name: name, node: node) { stores.append(store) }
        }
        var collections: [DataCollection] = []
        for (name, node) in entries(top["collections"], named: "collections", parent: root) {
            if let collection = readCollection(name: name, node: node) { collections.append(collection) }
        }
        var catalog = Catalog(version: version, controller: controller ?? Controller(name: "", contact: ""),
                              identifiers: identifiers, stores: stores, collections: collections,
                              baseDirectory: baseDirectory, sourceName: sourceName)
        if let ledger = top["ledger"] {
            if let path = ledger.string, ledger.scalar != nil, !path.isEmpty {
                catalog.ledgerPath = path
            } else {
                error(ledger, "'ledger' must be the path of the ledger database", fix: "ledger: .dsar/ledger.sqlite")
            }
        }
        for (key, setting) in [("ledgerPasswordEnv", "passwordEnv"), ("ledgerSchema", "schema"), ("ledgerKeys", "keys"), ("ledgerTLS", "tls")] {
            guard let node = top[key] else { continue }
            if let value = node.string, node.scalar != nil, !value.isEmpty {
                catalog.ledgerSettings[setting] = value
            } else {
                error(node, "'\(key)' must be a single value", fix: "\(key): NAME")
            }
        }
        return catalog
    }

    // MARK: Sections

    private mutating func readController(_ node: Node?, parent: Node) -> Controller? {
        guard let node, let mapping = node.mapping else {
            error(node ?? parent, "'controller' must give name and contact", fix: "controller: { name: …, contact: … }")
            return nil
        }
        allowOnly(["name", "contact", "authority"], in: mapping, what: "controller")
        let name = requiredString(mapping, "name", in: node, what: "controller")
        let contact = requiredString(mapping, "contact", in: node, what: "controller")
        return Controller(name: name ?? "", contact: contact ?? "", authority: mapping["authority"]?.string)
    }

    private mutating func readIdentifierType(name: String, node: Node) -> IdentifierType? {
        guard let mapping = node.mapping else {
            error(node, "identifier type '\(name)' must be a mapping", fix: "\(name): { type: opaque }")
            return nil
        }
        allowOnly(["type", "region", "shared"], in: mapping, what: "identifier type '\(name)'")
        guard let kindNode = mapping["type"], let kindText = kindNode.string else {
            error(node, "identifier type '\(name)' needs a type", fix: "one of: opaque, email, phone")
            return nil
        }
        guard let kind = IdentifierType.Kind(rawValue: kindText) else {
            error(kindNode, "unknown identifier kind '\(kindText)' for '\(name)'", fix: "use opaque, email or phone")
            return nil
        }
        var shared = false
        if let sharedNode = mapping["shared"] {
            if let value = sharedNode.bool { shared = value } else { error(sharedNode, "'shared' must be true or false") }
        }
        return IdentifierType(name: name, kind: kind, region: mapping["region"]?.string, shared: shared,
                              location: location(node))
    }

    private mutating func readStore(name: String, node: Node) -> StoreDeclaration? {
        guard let mapping = node.mapping else {
            error(node, "store '\(name)' must be a mapping", fix: "\(name): { type: sqlite, path: data/crm.sqlite }")
            return nil
        }
        guard let type = requiredString(mapping, "type", in: node, what: "store '\(name)'") else { return nil }
        var settings: [String: String] = [:]
        for (key, value) in mapping {
            guard let keyText = key.string, keyText != "type" else { continue }
            guard let valueText = value.string else {
                error(value, "setting '\(keyText)' of store '\(name)' must be a single value")
                continue
            }
            settings[keyText] = valueText
        }
        return StoreDeclaration(name: name, type: type, settings: settings, location: location(node))
    }

    private static let collectionKeys: Set<String> = [
        "store", "table", "pattern", "key", "identifiers", "references", "files", "purpose", "lawfulBasis",
        "categories", "recipients", "retention", "source", "hold", "erase", "retainReason",
    ]

    private mutating func readCollection(name: String, node: Node) -> DataCollection? {
        guard let mapping = node.mapping else {
            error(node, "collection '\(name)' must be a mapping")
            return nil
        }
        allowOnly(Self.collectionKeys, in: mapping, what: "collection '\(name)'")
        let what = "collection '\(name)'"
        guard let store = requiredString(mapping, "store", in: node, what: what) else { return nil }
        var collection = DataCollection(name: name, store: store, location: location(node))
        collection.table = optionalString(mapping, "table", what: what)
        if let patternNode = mapping["pattern"] {
            do {
                collection.pattern = try FilePattern(patternNode.string ?? "")
            } catch {
                self.error(patternNode, "bad pattern in \(what): \(error)")
            }
        }
        collection.key = stringList(mapping["key"], what: "key of \(what)")
        collection.identifiers = pairs(mapping["identifiers"], what: "identifiers of \(what)", part: "identifiers", into: &collection)
            .map { IdentifierColumn(column: $0.0, type: $0.1) }
        collection.references = pairs(mapping["references"], what: "references of \(what)", part: "references", into: &collection)
            .compactMap { column, target in
                let pieces = target.split(separator: ".", maxSplits: 1).map(String.init)
                guard pieces.count == 2, !pieces[0].isEmpty, !pieces[1].isEmpty else {
                    error(mapping["references"]?.mapping?[column], "reference '\(column)' of \(what) must be 'collection.column'",
                          fix: "for example customer_id: customers.id")
                    return nil
                }
                return Reference(column: column, targetCollection: pieces[0], targetColumn: pieces[1])
            }
        if let filesNode = mapping["files"] {
            if let files = filesNode.mapping, let column = files["column"]?.string, let fileStore = files["store"]?.string {
                collection.files = FileLink(column: column, store: fileStore)
                collection.partLocations["files"] = location(filesNode)
            } else {
                error(filesNode, "'files' of \(what) needs a column and a store", fix: "files: { column: path, store: recordings }")
            }
        }
        var translations: [String: CollectionText] = [:]
        collection.purpose = localizedText(mapping["purpose"], what: "purpose of \(what)", into: &translations, \.purpose)
        collection.lawfulBasis = readLawfulBasis(mapping["lawfulBasis"], what: what, into: &collection)
        collection.categories = localizedList(mapping["categories"], what: "categories of \(what)", into: &translations, \.categories)
        collection.recipients = localizedList(mapping["recipients"], what: "recipients of \(what)", into: &translations, \.recipients)
        collection.retention = localizedText(mapping["retention"], what: "retention of \(what)", into: &translations, \.retention)
        collection.source = localizedText(mapping["source"], what: "source of \(what)", into: &translations, \.source)
        if let holdNode = mapping["hold"] {
            if let hold = holdNode.mapping, let column = hold["column"]?.string,
               let reason = localizedText(hold["reason"], what: "hold reason of \(what)", into: &translations, \.holdReason) {
                collection.hold = HoldRule(column: column, reason: reason)
                collection.partLocations["hold"] = location(holdNode)
            } else {
                error(holdNode, "'hold' of \(what) needs a column and a reason",
                      fix: "hold: { column: legal_hold_until, reason: \"…\" }")
            }
        }
        collection.erase = readErasure(mapping, what: what, into: &collection)
        collection.translations = translations
        return collection
    }

    /// A subject-facing text: plain text, or one per language (`{ en: …, fr: … }`). Returns
    /// the collection's own text (`en`, else the first given) and files the others by language.
    private mutating func localizedText(_ node: Node?, what: String, into translations: inout [String: CollectionText],
                                        _ field: WritableKeyPath<CollectionText, String?>) -> String? {
        guard let node else { return nil }
        if let text = node.string, node.scalar != nil { return text }
        guard let texts = languageMapping(node, what: what) else {
            error(node, "\(what) must be text, or text per language", fix: "purpose: … or purpose: { en: …, fr: … }")
            return nil
        }
        var own: String?
        for (language, value) in texts {
            guard let text = value.string, value.scalar != nil else {
                error(value, "the '\(language)' text of \(what) must be text")
                continue
            }
            translations[language, default: CollectionText()][keyPath: field] = text
            if own == nil || language == "en" { own = text }
        }
        return own
    }

    /// A subject-facing list: a name or list, or one per language (`{ en: [...], fr: [...] }`).
    private mutating func localizedList(_ node: Node?, what: String, into translations: inout [String: CollectionText],
                                        _ field: WritableKeyPath<CollectionText, [String]?>) -> [String] {
        guard let node else { return [] }
        guard node.mapping != nil else { return stringList(node, what: what) }
        guard let lists = languageMapping(node, what: what) else {
            error(node, "\(what) must be a list, or a list per language", fix: "categories: [identity] or { en: [identity], fr: [identité] }")
            return []
        }
        var own: [String]?
        for (language, value) in lists {
            let list = stringList(value, what: "the '\(language)' \(what)")
            translations[language, default: CollectionText()][keyPath: field] = list
            if own == nil || language == "en" { own = list }
        }
        return own ?? []
    }

    /// A mapping whose keys are language codes (`en`, `fr`, `pt-BR`), in document order.
    private mutating func languageMapping(_ node: Node, what: String) -> [(String, Node)]? {
        guard let mapping = node.mapping, !mapping.isEmpty else { return nil }
        var entries: [(String, Node)] = []
        for (key, value) in mapping {
            guard let language = key.string, Self.isLanguageCode(language) else {
                error(key, "'\(key.string ?? "?")' in \(what) is not a language code", fix: "use codes such as en, fr, ar")
                continue
            }
            entries.append((language, value))
        }
        return entries
    }

    static func isLanguageCode(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard (2...3).contains(parts[0].count), parts[0].allSatisfy({ $0.isASCII && $0.isLowercase }) else { return false }
        return parts.count == 1 || (parts.count == 2 && (2...4).contains(parts[1].count) && parts[1].allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) })
    }

    private mutating func readLawfulBasis(_ node: Node?, what: String, into collection: inout DataCollection) -> LawfulBasisRule? {
        guard let node else { return nil }
        collection.partLocations["lawfulBasis"] = location(node)
        if let text = node.string {
            guard let basis = LawfulBasis(rawValue: text) else {
                error(node, "unknown lawful basis '\(text)' in \(what)",
                      fix: "use one of " + LawfulBasis.allCases.map(\.rawValue).joined(separator: ", "))
                return nil
            }
            return .fixed(basis)
        }
        if let column = node.mapping?["column"]?.string { return .column(column) }
        error(node, "lawfulBasis of \(what) must be a basis or { column: … }")
        return nil
    }

    private mutating func readErasure(_ mapping: Node.Mapping, what: String, into collection: inout DataCollection) -> ErasureRule {
        guard let node = mapping["erase"] else {
            error(nil, "\(what) has no 'erase' rule", fix: "add erase: delete, retain or mask")
            return .delete
        }
        collection.partLocations["erase"] = location(node)
        if let text = node.string {
            switch text {
            case "delete": return .delete
            case "retain":
                guard let reason = mapping["retainReason"]?.string, !reason.isEmpty else {
                    error(node, "\(what) is retained but gives no reason", fix: "add retainReason: …")
                    return .retain(reason: "")
                }
                return .retain(reason: reason)
            default:
                error(node, "unknown erase rule '\(text)' in \(what)", fix: "use delete, retain or mask: { column: null|redact|hash }")
                return .delete
            }
        }
        guard let maskNode = node.mapping?["mask"], let masks = maskNode.mapping, !masks.isEmpty else {
            error(node, "erase of \(what) must be delete, retain or mask: { column: strategy }")
            return .delete
        }
        var columnMasks: [ColumnMask] = []
        for (key, value) in masks {
            guard let column = key.string, let strategyText = value.string,
                  let strategy = ColumnMask.Strategy(rawValue: strategyText) else {
                error(value, "mask strategy in \(what) must be null, redact or hash")
                continue
            }
            columnMasks.append(ColumnMask(column: column, strategy: strategy))
            collection.partLocations["mask.\(column)"] = location(value)
        }
        return .mask(columnMasks)
    }

    // MARK: Helpers

    private mutating func entries(_ node: Node?, named section: String, parent: Node) -> [(name: String, node: Node)] {
        guard let node else {
            error(parent, "the catalog has no '\(section)' section")
            return []
        }
        guard let mapping = node.mapping else {
            error(node, "'\(section)' must be a mapping of names to declarations")
            return []
        }
        return mapping.compactMap { key, value in
            guard let name = key.string, !name.isEmpty else {
                error(key, "names in '\(section)' must be text")
                return nil
            }
            return (name, value)
        }
    }

    private mutating func pairs(_ node: Node?, what: String, part: String, into collection: inout DataCollection) -> [(String, String)] {
        guard let node else { return [] }
        guard let mapping = node.mapping else {
            error(node, "\(what) must be a mapping of column: value")
            return []
        }
        return mapping.compactMap { key, value in
            guard let column = key.string, let target = value.string else {
                error(key, "\(what) must map a column name to a name")
                return nil
            }
            collection.partLocations["\(part).\(column)"] = location(value)
            return (column, target)
        }
    }

    private mutating func stringList(_ node: Node?, what: String) -> [String] {
        guard let node else { return [] }
        if let single = node.string, node.scalar != nil { return [single] }
        guard let sequence = node.sequence else {
            error(node, "\(what) must be a name or a list of names")
            return []
        }
        return sequence.compactMap { item in
            guard let text = item.string else { error(item, "\(what) must hold text"); return nil }
            return text
        }
    }

    private mutating func requiredString(_ mapping: Node.Mapping, _ key: String, in node: Node, what: String) -> String? {
        guard let value = mapping[key] else {
            error(node, "\(what) has no '\(key)'")
            return nil
        }
        guard let text = value.string, !text.isEmpty else {
            error(value, "'\(key)' of \(what) must be text")
            return nil
        }
        return text
    }

    private mutating func optionalString(_ mapping: Node.Mapping, _ key: String, what: String) -> String? {
        guard let value = mapping[key] else { return nil }
        guard let text = value.string, value.scalar != nil else {
            error(value, "'\(key)' of \(what) must be text")
            return nil
        }
        return text
    }

    private mutating func allowOnly(_ keys: Set<String>, in mapping: Node.Mapping, what: String) {
        for key in mapping.keys {
            guard let name = key.string, !keys.contains(name) else { continue }
            error(key, "unknown key '\(name)' in \(what)", fix: "expected one of " + keys.sorted().joined(separator: ", "))
        }
    }

    private func location(_ node: Node?) -> SourceLocation? {
        node?.mark.map { SourceLocation(line: $0.line, column: $0.column) }
    }

    private mutating func error(_ node: Node?, _ message: String, fix: String? = nil) {
        let place = location(node).map { "\(sourceName):\($0)" } ?? sourceName
        problems.append(CatalogProblem(.error, place: place, message, fix: fix))
    }

    static func problem(from yamlError: YamlError, sourceName: String) -> CatalogProblem {
        switch yamlError {
        case let .scanner(_, problem, mark, _), let .parser(_, problem, mark, _), let .composer(_, problem, mark, _):
            return CatalogProblem(.error, place: "\(sourceName):\(mark)", "invalid YAML: \(problem)")
        case let .duplicatedKeysInMapping(duplicates, context):
            return CatalogProblem(.error, place: "\(sourceName):\(context.mark)",
                                  "duplicate name(s) \(duplicates.joined(separator: ", ")) in one mapping",
                                  fix: "each name may appear once")
        default:
            return CatalogProblem(.error, place: sourceName, "invalid YAML")
        }
    }
}
