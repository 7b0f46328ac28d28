import Yams

extension CatalogYAMLReader {
    /// `keep: { column: started_at, for: 6 months }` or `keep: { until: delete_after }`: the rule
    /// a retention sweep applies. Read after the collection's `erase` rule, which it needs.
    mutating func readKeep(_ node: Node, into collection: inout DataCollection) {
        let what = "collection '\(collection.name)'"
        let fix = "keep: { column: started_at, for: 6 months } (days, weeks, months or years) or keep: { until: delete_after }"
        collection.partLocations["keep"] = location(node)
        guard let mapping = node.mapping else {
            error(node, "'keep' of \(what) must be a mapping", fix: fix)
            return
        }
        allowOnly(["column", "for", "until"], in: mapping, what: "'keep' of \(what)")
        guard collection.pattern == nil, collection.table != nil else {
            error(node, "'keep' of \(what) needs a table: a retention sweep reads the rows past their date with one query", fix: fix)
            return
        }
        if case .retain = collection.erase {
            error(node, "\(what) has 'keep' but its erase rule is 'retain': a sweep would have nothing to do",
                  fix: "give it erase: delete or mask, or remove 'keep'")
            return
        }
        let rule: KeepRule
        if let until = mapping["until"] {
            guard mapping["column"] == nil, mapping["for"] == nil else {
                error(node, "'keep' of \(what) takes either 'until' or 'column' with 'for', not both", fix: fix)
                return
            }
            guard let column = until.string?.trimmingWhitespace(), !column.isEmpty else {
                error(until, "'until' of the keep rule of \(what) must name one column", fix: fix)
                return
            }
            rule = KeepRule(column: column, limit: .until)
        } else {
            guard let columnNode = mapping["column"], let column = columnNode.string?.trimmingWhitespace(), !column.isEmpty else {
                error(mapping["column"] ?? node, "'keep' of \(what) needs the column that dates each row", fix: fix)
                return
            }
            guard let periodNode = mapping["for"] else {
                error(node, "'keep' of \(what) needs 'for', how long rows are kept", fix: fix)
                return
            }
            guard let text = periodNode.string, let period = RetentionPeriod(text) else {
                error(periodNode, "'for' of the keep rule of \(what) is not a duration", fix: "a whole number and a unit: 30 days, 2 weeks, 6 months, 1 year")
                return
            }
            rule = KeepRule(column: column, limit: .period(period))
        }
        collection.keep = rule
    }
}
