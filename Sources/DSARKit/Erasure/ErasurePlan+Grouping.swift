extension ErasurePlan {
    /// Everything the plan names, whatever it does with it: its identifiers, every record of
    /// every collection (erased, masked, held, retained, shared, kept, out of scope, blocked),
    /// every file, and the records of other people and for review it met. Two plans whose
    /// sets meet are never run in one group (``Erasure``'s grouped batches): the later one is
    /// planned again after the earlier one's erasure, as it would be one subject at a time.
    /// Held in memory only, never written.
    var touchedRecords: Set<String> {
        var touched = Set(identifiers.map { "identifier\u{0}\($0.type)\u{0}\($0.value)" })
        for summary in collections {
            let keys = summary.deleted + summary.masked + summary.retained + summary.shared + summary.outOfScope + summary.blocked
                + summary.held.map(\.key) + summary.kept.map(\.key) + summary.keptFiles.map(\.key) + summary.files.map(\.key)
            for key in keys { touched.insert("record\u{0}\(summary.collection)[\(key)]") }
            for file in summary.files { touched.insert("file\u{0}\(file.store)\u{0}\(file.path)") }
        }
        for name in conflicts + ambiguous { touched.insert("record\u{0}\(name)") }
        return touched
    }
}
