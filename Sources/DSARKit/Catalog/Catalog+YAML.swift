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
                   "ledgerKeys", "ledgerTLS", "coverage"], in: top, what: "the catalog")
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
            guard var collection = readCollection(name: name, node: node) else { continue }
            if node.mapping?["scope"] == nil, collection.table != nil {
                collection.scope = stores.first { $0.name == collection.store }?.scope ?? []
            }
            collections.append(collection)
        }
        var catalog = Catalog(version: version, controller: controller ?? Controller(name: "", contact: ""),
                              identifiers: identifiers, stores: stores, collections: collections,
                              baseDirectory: baseDirectory, sourceName: sourceName)
        if let ledger = top["ledger"] {
            if let path = ledger.string, ledger.scalar != nil, !path.isEmpty {
                if let problem = Catalog.ledgerProblem(path) {
                    error(ledger, problem, fix: "ledger: .dsar/ledger.sqlite, or ledger: \"postgres://user@host:5432/database\"")
                } else {
                    catalog.ledgerPath = path
                }
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
        if let coverage = top["coverage"] { catalog.coverageIgnores = readCoverage(coverage, stores: stores) }
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
        allowOnly(["type", "region", "regions", "shared"], in: mapping, what: "identifier type '\(name)'")
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
        var regions = mapping["region"]?.string.map { [$0] } ?? []
        if let regionsNode = mapping["regions"] {
            if mapping["region"] != nil { error(regionsNode, "identifier type '\(name)' gives both region and regions", fix: "regions: [TN, FR]") }
            regions = stringList(regionsNode, what: "regions of identifier type '\(name)'")
        }
        return IdentifierType(name: name, kind: kind, regions: regions, shared: shared, location: location(node))
    }

    private mutating func readStore(name: String, node: Node) -> StoreDeclaration? {
        guard let mapping = node.mapping else {
            error(node, "store '\(name)' must be a mapping", fix: "\(name): { type: sqlite, path: data/crm.sqlite }")
            return nil
        }
        guard let type = requiredString(mapping, "type", in: node, what: "store '\(name)'") else { return nil }
        var settings: [String: String] = [:]
        var scope: [ColumnCondition] = []
        if let scopeNode = mapping["scope"] { scope = readConditions(scopeNode, what: "the scope of store '\(name)'") }
        for (key, value) in mapping {
            guard let keyText = key.string, keyText != "type", keyText != "scope" else { continue }
            guard let valueText = value.string else {
                error(value, "setting '\(keyText)' of store '\(name)' must be a single value")
                continue
            }
            settings[keyText] = valueText
        }
        return StoreDeclaration(name: name, type: type, settings: settings, scope: scope, location: location(node))
    }

    private static let collectionKeys: Set<String> = [
        "store", "table", "pattern", "sidecar", "key", "identifiers", "references", "files", "purpose", "lawfulBasis",
        "categories", "recipients", "retention", "source", "hold", "erase", "retainReason", "scope",
        "time", "keep",
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
        if let scopeNode = mapping["scope"], scopeNode.mapping?.isEmpty != true {
            collection.scope = readConditions(scopeNode, what: "the scope of \(what)")
            collection.partLocations["scope"] = location(scopeNode)
        }
        if let patternNode = mapping["pattern"] {
            do {
                collection.pattern = try FilePattern(patternNode.string ?? "")
            } catch {
                self.error(patternNode, "bad pattern in \(what): \(error)")
            }
        }
        if let sidecarNode = mapping["sidecar"] {
            collection.sidecar = readSidecar(sidecarNode, what: what)
            collection.partLocations["sidecar"] = location(sidecarNode)
        }
        collection.key = stringList(mapping["key"], what: "key of \(what)")
        if let timeNode = mapping["time"] {
            collection.partLocations["time"] = location(timeNode)
            if let column = timeNode.string?.trimmingWhitespace(), !column.isEmpty, collection.pattern == nil {
                collection.time = column
            } else {
                error(timeNode, "'time' of \(what) must name one column of its table", fix: "time: started_at")
            }
        }
        collection.identifiers = readIdentifierColumns(mapping["identifiers"], what: what, into: &collection)
        collection.references = readReferences(mapping["references"], what: what, into: &collection)
        if let filesNode = mapping["files"] {
            collection.files = readFiles(filesNode, what: what)
            collection.partLocations["files"] = location(filesNode)
        }
        var translations: [String: CollectionText] = [:]
        collection.purpose = localizedText(mapping["purpose"], what: "purpose of \(what)", into: &translations, \.purpose)
        collection.lawfulBasis = readLawfulBasis(mapping["lawfulBasis"], what: what, into: &collection)
        collection.categories = localizedList(mapping["categories"], what: "categories of \(what)", into: &translations, \.categories)
        collection.recipients = localizedList(mapping["recipients"], what: "recipients of \(what)", into: &translations, \.recipients)
        collection.retention = localizedText(mapping["retention"], what: "retention of \(what)", into: &translations, \.retention)
        collection.source = localizedText(mapping["source"], what: "source of \(what)", into: &translations, \.source)
        if let holdNode = mapping["hold"] {
            collection.hold = readHold(holdNode, what: what, into: &translations)
            collection.partLocations["hold"] = location(holdNode)
        }
        collection.erase = readErasure(mapping, what: what, into: &collection)
        if let keepNode = mapping["keep"] { readKeep(keepNode, into: &collection) }
        collection.translations = translations
        return collection
    }

    /// `hold: { column: C, reason: R }` (a date or a flag) or `hold: { when: { C: V or [V, …] },
    /// reason: R }` (one of the values), each with an optional `reachesChildren: false`.
    private mutating func readHold(_ node: Node, what: String, into translations: inout [String: CollectionText]) -> HoldRule? {
        let fix = "hold: { column: legal_hold_until, reason: \"…\" } or hold: { when: { status: DISPUTE }, reason: \"…\" }"
        guard let hold = node.mapping else {
            error(node, "'hold' of \(what) must be a mapping", fix: fix)
            return nil
        }
        allowOnly(["column", "when", "reason", "reachesChildren"], in: hold, what: "'hold' of \(what)")
        var column = hold["column"]?.string
        var values: [String]?
        if let when = hold["when"] {
            guard column == nil, let condition = when.mapping, condition.count == 1, let entry = condition.first,
                  let name = entry.key.string, !name.isEmpty else {
                error(when, "'when' of the hold of \(what) names one column and its values, without 'column'", fix: fix)
                return nil
            }
            let list = stringList(entry.value, what: "values of the hold of \(what)").map { $0.trimmingWhitespace() }
            guard !list.isEmpty, !list.contains("") else {
                error(entry.value, "the hold of \(what) needs at least one value for '\(name)'", fix: "when: { \(name): [DISPUTE, FRAUD] }")
                return nil
            }
            column = name
            values = list
        }
        var reachesChildren = true
        if let reach = hold["reachesChildren"] {
            if let flag = reach.bool { reachesChildren = flag } else { error(reach, "'reachesChildren' must be true or false") }
        }
        guard let column, !column.isEmpty,
              let reason = localizedText(hold["reason"], what: "hold reason of \(what)", into: &translations, \.holdReason) else {
            error(node, "'hold' of \(what) needs a column (or 'when') and a reason", fix: fix)
            return nil
        }
        return HoldRule(column: column, reason: reason, values: values, reachesChildren: reachesChildren)
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
            // A drafted catalog's placeholder: reads as no basis, and `dsar check` reports it until written.
            if text == "TODO" { return nil }
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

    mutating func allowOnly(_ keys: Set<String>, in mapping: Node.Mapping, what: String) {
        for key in mapping.keys {
            guard let name = key.string, !keys.contains(name) else { continue }
            error(key, "unknown key '\(name)' in \(what)", fix: "expected one of " + keys.sorted().joined(separator: ", "))
        }
    }

    func location(_ node: Node?) -> SourceLocation? {
        node?.mark.map { SourceLocation(line: $0.line, column: $0.column) }
    }

    mutating func error(_ node: Node?, _ message: String, fix: String? = nil) {
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
