import Foundation
import Yams

extension CatalogYAMLReader {
    /// `identifiers:` of a collection: column → type name, or → `{ type, countryCode: column }`
    /// for a phone number split across a country-code column and a national-number column.
    mutating func readIdentifierColumns(_ node: Node?, what: String, into collection: inout DataCollection) -> [IdentifierColumn] {
        guard let node else { return [] }
        guard let mapping = node.mapping else {
            error(node, "identifiers of \(what) must be a mapping of column: identifier type")
            return []
        }
        var columns: [IdentifierColumn] = []
        for (key, value) in mapping {
            guard let column = key.string, !column.isEmpty else {
                error(key, "identifiers of \(what) must map a column name to an identifier type")
                continue
            }
            collection.partLocations["identifiers.\(column)"] = location(value)
            if let type = value.string, value.scalar != nil {
                columns.append(IdentifierColumn(column: column, type: type))
                continue
            }
            guard let details = value.mapping, let type = details["type"]?.string else {
                error(value, "identifier column '\(column)' of \(what) needs a type",
                      fix: "\(column): phone, or \(column): { type: phone, countryCode: phone_code }")
                continue
            }
            allowOnly(["type", "countryCode", "extract"], in: details, what: "identifier column '\(column)' of \(what)")
            let extract = details["extract"]?.string
            if let extract {
                if ExtractExpressions.compiled(extract) == nil {
                    error(details["extract"], "'extract' of '\(column)' in \(what) must be a regular expression with a group around the value",
                          fix: "extract: '<([^>]+)>'")
                    continue
                }
            }
            columns.append(IdentifierColumn(column: column, type: type, countryCode: details["countryCode"]?.string, extract: extract))
        }
        return columns
    }

    /// `references:` of a collection. Each column maps to `collection.column`, to
    /// `{ to: collection.column, when: { type_column: Value } }` (a polymorphic link), or to a
    /// list of those when one column points at several collections depending on the row.
    mutating func readReferences(_ node: Node?, what: String, into collection: inout DataCollection) -> [Reference] {
        guard let node else { return [] }
        guard let mapping = node.mapping else {
            error(node, "references of \(what) must be a mapping of column: collection.column")
            return []
        }
        var references: [Reference] = []
        for (key, value) in mapping {
            guard let column = key.string, !column.isEmpty else {
                error(key, "references of \(what) must map a column name to collection.column")
                continue
            }
            collection.partLocations["references.\(column)"] = location(value)
            let targets = value.sequence.map(Array.init) ?? [value]
            if targets.isEmpty { error(value, "reference '\(column)' of \(what) lists no target") }
            for target in targets {
                if let reference = readReference(column: column, target, what: what) { references.append(reference) }
            }
        }
        return references
    }

    private mutating func readReference(column: String, _ node: Node, what: String) -> Reference? {
        let example = "for example customer_id: customers.id, or record_id: { to: contacts.id, when: { record_type: Contact } }"
        var targetNode = node
        var conditions: [ColumnCondition] = []
        if let mapping = node.mapping {
            allowOnly(["to", "when"], in: mapping, what: "reference '\(column)' of \(what)")
            guard let to = mapping["to"] else {
                error(node, "reference '\(column)' of \(what) has no 'to'", fix: example)
                return nil
            }
            targetNode = to
            if let when = mapping["when"] {
                conditions = readConditions(when, what: "the 'when' of reference '\(column)' of \(what)")
                if conditions.isEmpty { return nil }
            }
        }
        guard let target = targetNode.string, targetNode.scalar != nil else {
            error(node, "reference '\(column)' of \(what) must be 'collection.column'", fix: example)
            return nil
        }
        let pieces = target.split(separator: ".", maxSplits: 1).map(String.init)
        guard pieces.count == 2, !pieces[0].isEmpty, !pieces[1].isEmpty else {
            error(targetNode, "reference '\(column)' of \(what) must be 'collection.column'", fix: example)
            return nil
        }
        return Reference(column: column, targetCollection: pieces[0], targetColumn: pieces[1], conditions: conditions)
    }

    /// `{ column: value }` or `{ column: [value, …] }`: the row's column holds one of the values.
    mutating func readConditions(_ node: Node, what: String) -> [ColumnCondition] {
        guard let mapping = node.mapping, !mapping.isEmpty else {
            error(node, "\(what) must map columns to the values they hold", fix: "when: { record_type: Contact }")
            return []
        }
        var conditions: [ColumnCondition] = []
        for (key, value) in mapping {
            guard let column = key.string, !column.isEmpty else {
                error(key, "\(what) must name columns")
                continue
            }
            let items = value.sequence.map(Array.init) ?? [value]
            let values = items.compactMap { item -> String? in
                guard item.scalar != nil, let text = item.string, !text.isEmpty else {
                    error(item, "\(what): the values of '\(column)' must be text or numbers")
                    return nil
                }
                return text
            }
            guard values.count == items.count, !values.isEmpty else {
                if items.isEmpty { error(value, "\(what): '\(column)' lists no value") }
                continue
            }
            conditions.append(ColumnCondition(column: column, values: values))
        }
        return conditions.count == mapping.count ? conditions : []
    }
}
