extension Catalog {
    /// Every `TODO` a drafted catalog still holds (`dsar catalog draft` writes the controller,
    /// the Art. 15 texts, the lawful basis and the retain reasons as `TODO`): errors, so
    /// `dsar check` fails until the privacy officer has written them.
    public func placeholderProblems() -> [CatalogProblem] {
        var problems: [CatalogProblem] = []
        func report(_ location: SourceLocation?, _ fallback: String, _ what: String, fix: String) {
            problems.append(CatalogProblem(.error, place: place(location, fallback: fallback), "\(what) is still TODO", fix: fix))
        }
        if Self.isPlaceholder(controller.name) || Self.isPlaceholder(controller.contact) {
            report(nil, "controller", "the controller's name or contact", fix: "controller: { name: …, contact: … }")
        }
        for collection in collections {
            let name = collection.name
            if collection.lawfulBasis == nil, let location = collection.partLocations["lawfulBasis"] {
                report(location, name, "the lawful basis of collection '\(name)'",
                       fix: "one of " + LawfulBasis.allCases.map(\.rawValue).joined(separator: ", "))
            }
            var texts = [("purpose", collection.purpose), ("retention", collection.retention), ("source", collection.source),
                         ("hold reason", collection.hold?.reason)]
            if case .retain(let reason) = collection.erase { texts.append(("retainReason", reason)) }
            for (language, text) in collection.translations.sorted(by: { $0.key < $1.key }) {
                texts += [("purpose (\(language))", text.purpose), ("retention (\(language))", text.retention),
                          ("source (\(language))", text.source), ("hold reason (\(language))", text.holdReason)]
            }
            let listed = collection.categories + collection.recipients
            if listed.contains(where: Self.isPlaceholder) { texts.append(("categories or recipients", "TODO")) }
            for (what, text) in texts where text.map(Self.isPlaceholder) == true {
                report(collection.location, name, "the \(what) of collection '\(name)'", fix: "write it for the person reading the access letter")
            }
        }
        return problems
    }

    static func isPlaceholder(_ text: String) -> Bool {
        text.trimmingWhitespace() == "TODO"
    }
}
