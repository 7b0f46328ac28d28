import ArgumentParser
import DSARKit
import Foundation

/// `--only`, `--record`, `--between`: the part of the subject's data a request is about.
struct ScopeOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Only these collections (and the records under their records).",
                                            valueName: "collection[,…]"))
    var only: [String] = []
    @Option(name: .long, help: ArgumentHelp("Only this record (and the records under it); repeatable.",
                                            valueName: "collection:key"))
    var record: [String] = []
    @Option(name: .long, help: ArgumentHelp("Only records whose collection's time: column falls on these days.",
                                            valueName: "day..day"))
    var between: String?

    var isGiven: Bool { !only.isEmpty || !record.isEmpty || between != nil }

    /// The scope the flags give, checked against the catalog; `nil` without any of them.
    func requestScope(_ catalog: Catalog) throws -> RequestScope? {
        guard isGiven else { return nil }
        let collections = only.flatMap { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } }
        if collections.contains("") { throw DSARError(.invalidRequest, "--only takes collection names separated by commas", location: "--only") }
        let scope = RequestScope(collections: collections, records: try record.map(ScopedRecord.init(parsing:)),
                                 between: try between.map(DayRange.init(parsing:)))
        try scope.validate(against: catalog)
        return scope
    }
}
