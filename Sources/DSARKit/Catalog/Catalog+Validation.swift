extension Catalog {
    /// Checks the catalog on its own, without opening any store: names that must exist,
    /// shapes that must fit, and an erasure order without cycles.
    public func validate() -> [CatalogProblem] {
        var problems: [CatalogProblem] = []
        func error(_ location: SourceLocation?, _ fallback: String, _ message: String, fix: String? = nil) {
            problems.append(CatalogProblem(.error, place: place(location, fallback: fallback), message, fix: fix))
        }
        func warning(_ location: SourceLocation?, _ fallback: String, _ message: String, fix: String? = nil) {
            problems.append(CatalogProblem(.warning, place: place(location, fallback: fallback), message, fix: fix))
        }
        if controller.name.isEmpty || controller.contact.isEmpty {
            error(nil, "controller", "the controller needs a name and a contact (shown to the data subject)")
        }
        for duplicate in duplicates(identifiers.map(\.name)) { error(nil, "identifiers", "identifier type '\(duplicate)' is declared twice") }
        for duplicate in duplicates(stores.map(\.name)) { error(nil, "stores", "store '\(duplicate)' is declared twice") }
        for duplicate in duplicates(collections.map(\.name)) { error(nil, "collections", "collection '\(duplicate)' is declared twice") }

        for type in identifiers where type.kind == .phone {
            if !type.regions.isEmpty {
                for region in type.regions where PhoneRegion(code: region) == nil {
                    error(type.location, "identifiers.\(type.name)", "unknown phone region '\(region)'",
                          fix: "use one of " + PhoneRegion.all.map(\.code).joined(separator: ", "))
                }
                for duplicate in duplicates(type.regions.map { $0.uppercased() }) {
                    error(type.location, "identifiers.\(type.name)", "phone region '\(duplicate)' is listed twice", fix: nil)
                }
            } else {
                warning(type.location, "identifiers.\(type.name)", "phone type '\(type.name)' has no region; national numbers cannot be read",
                        fix: "add region: FR (or the country most numbers are written in)")
            }
        }
        for store in stores {
            let fallback = "stores.\(store.name)"
            switch store.type {
            case "sqlite" where store.settings["path"] == nil:
                error(store.location, fallback, "sqlite store '\(store.name)' needs a path", fix: "path: data/crm.sqlite")
            case "files" where store.settings["root"] == nil:
                error(store.location, fallback, "files store '\(store.name)' needs a root folder", fix: "root: data/recordings")
            default: break
            }
        }
        for collection in collections { validate(collection, error: error, warning: warning) }
        // Texts given per language: say where a page in one of those languages falls back.
        let given = Set(collections.flatMap(\.translations.keys))
        for language in given.subtracting(PackageLanguage.allCases.map(\.rawValue)).sorted() {
            warning(nil, "collections", "texts in '\(language)' are never shown: packages are written in " +
                    PackageLanguage.allCases.map(\.rawValue).joined(separator: ", "),
                    fix: "use one of those codes")
        }
        for collection in collections where !collection.translations.isEmpty {
            let perLanguage = collection.translations.values.reduce(into: Set<String>()) { $0.formUnion($1.givenFields) }
            let missing = perLanguage.subtracting(collection.translations["en"]?.givenFields ?? [])
            guard !missing.isEmpty else { continue }
            warning(collection.location, "collections.\(collection.name)",
                    "collection '\(collection.name)' has no 'en' text for \(missing.sorted().joined(separator: ", ")); " +
                        "English pages show another language's", fix: "add en: … beside the other languages")
        }
        let languages = given.intersection(PackageLanguage.allCases.map(\.rawValue)).subtracting(["en"]).sorted()
        for language in languages {
            for collection in collections {
                let missing = collection.ownText.givenFields.subtracting(collection.translations[language]?.givenFields ?? [])
                guard !missing.isEmpty else { continue }
                warning(collection.location, "collections.\(collection.name)",
                        "collection '\(collection.name)' has no '\(language)' text for \(missing.sorted().joined(separator: ", ")); " +
                            "pages in that language show it as written",
                        fix: "give it per language, for example purpose: { en: …, \(language): … }")
            }
        }
        if let cycle = referenceCycle() {
            error(collection(named: cycle[0])?.location, "collections",
                  "references form a cycle (\(cycle.joined(separator: " → "))), so there is no order to erase children before parents",
                  fix: "remove one of these references")
        }
        return problems
    }

    private func validate(
        _ collection: DataCollection,
        error: (SourceLocation?, String, String, String?) -> Void,
        warning: (SourceLocation?, String, String, String?) -> Void
    ) {
        let name = collection.name
        let fallback = "collections.\(name)"
        func part(_ key: String) -> SourceLocation? { collection.partLocations[key] ?? collection.location }

        guard let store = self.store(named: collection.store) else {
            error(collection.location, fallback, "collection '\(name)' names unknown store '\(collection.store)'",
                  "declare it under stores or use one of: " + stores.map(\.name).joined(separator: ", "))
            return
        }
        if store.type == "files" || store.type == "s3" {
            if collection.pattern == nil {
                error(collection.location, fallback, "collection '\(name)' is in files store '\(store.name)' but has no pattern",
                      "add pattern: \"folder/{identifier}_{other}.wav\"")
            }
            if collection.table != nil {
                error(collection.location, fallback, "collection '\(name)' is in a files store and cannot have a table", nil)
            }
        } else {
            if collection.table == nil {
                error(collection.location, fallback, "collection '\(name)' needs a table", "table: \(name)")
            }
            if collection.pattern != nil {
                error(collection.location, fallback, "collection '\(name)' has a pattern but its store is not a files store", nil)
            }
        }
        for identifier in collection.identifiers {
            let location = part("identifiers.\(identifier.column)")
            if identifierType(named: identifier.type) == nil {
                error(location, fallback, "collection '\(name)' uses unknown identifier type '\(identifier.type)'",
                      "declare it under identifiers or use one of: " + identifiers.map(\.name).joined(separator: ", "))
            }
            if let extract = identifier.extract, ExtractExpressions.compiled(extract) == nil {
                error(location, fallback, "'extract' of '\(identifier.column)' in '\(name)' must be a regular expression with a group around the value", nil)
            }
            if identifier.extract != nil, collection.pattern != nil, collection.sidecar?.fields.contains(identifier.column) != true {
                error(location, fallback, "'extract' of '\(identifier.column)' in '\(name)' applies to table columns and sidecar fields only", nil)
            }
            if identifier.countryCode != nil, identifierType(named: identifier.type)?.kind != .phone || collection.pattern != nil {
                error(location, fallback, "'countryCode' of '\(identifier.column)' in '\(name)' applies to phone columns of tables only", nil)
            }
            if !identifier.jsonPath.isEmpty, collection.pattern != nil || identifier.jsonPath.contains(where: \.isEmpty) {
                error(location, fallback, "'\(identifier.column)' of '\(name)': a JSON path is column.key[.key…] in a table", nil)
            }
            if case .mask(let masks) = collection.erase, let mask = masks.first(where: { $0.column == identifier.column && !identifier.jsonPath.isEmpty }) {
                error(part("erase"), fallback, "'\(name)' masks '\(mask.column)', a value inside a JSON column",
                      "mask the whole column '\(identifier.storedColumn)', or delete the rows")
            }
            if let pattern = collection.pattern, !pattern.placeholders.contains(identifier.column) {
                if let sidecar = collection.sidecar {
                    if !sidecar.fields.contains(identifier.column) {
                        error(location, fallback, "'\(identifier.column)' is not a placeholder of pattern \(pattern) nor a field of its sidecar",
                              "add it to the sidecar's fields: [\((sidecar.fields + [identifier.column]).joined(separator: ", "))]")
                    }
                } else {
                    error(location, fallback, "'\(identifier.column)' is not a placeholder of pattern \(pattern)", nil)
                }
            }
        }
        if let sidecar = collection.sidecar {
            validateSidecar(sidecar, of: collection, at: part("sidecar"), fallback: fallback, error: error)
        }
        for reference in collection.references {
            let location = part("references.\(reference.column)")
            guard let target = self.collection(named: reference.targetCollection) else {
                error(location, fallback, "reference '\(reference.column)' of '\(name)' points at unknown collection '\(reference.targetCollection)'",
                      "use one of: " + collections.map(\.name).joined(separator: ", "))
                continue
            }
            if let pattern = target.pattern, !pattern.placeholders.contains(reference.targetColumn) {
                error(location, fallback, "'\(reference.targetColumn)' is not a placeholder of \(target.name)'s pattern", nil)
            }
        }
        if let files = collection.files {
            let location = part("files")
            for storeName in files.stores {
                if let fileStore = self.store(named: storeName) {
                    if fileStore.type == "sqlite" || fileStore.type == "postgres" {
                        error(location, fallback, "files of '\(name)' must live in a files store; '\(storeName)' is \(fileStore.type)", nil)
                    }
                } else {
                    error(location, fallback, "files of '\(name)' name unknown store '\(storeName)'", nil)
                }
            }
        }
        if case .mask(let masks) = collection.erase {
            for mask in masks where collection.key.contains(mask.column) {
                error(part("erase"), fallback, "'\(name)' masks its key column '\(mask.column)'", "mask other columns, or delete the rows")
            }
        }
        if collection.identifiers.isEmpty && collection.references.isEmpty && children(of: name).isEmpty {
            warning(collection.location, fallback, "collection '\(name)' has no identifiers and no references, so nothing can find its records",
                    "add identifiers or references")
        }
        if collection.purpose == nil {
            warning(collection.location, fallback, "collection '\(name)' has no purpose; the access letter must state one (Art. 15(1)(a))",
                    "add purpose: …")
        }
        if collection.lawfulBasis == nil {
            warning(collection.location, fallback, "collection '\(name)' has no lawful basis (Art. 6)", "add lawfulBasis: …")
        }
    }

    private func duplicates(_ names: [String]) -> [String] {
        var seen = Set<String>(), repeated: [String] = []
        for name in names where !seen.insert(name).inserted { repeated.append(name) }
        return repeated
    }

    /// A sidecar belongs to a pattern collection, names a file other than the matched one with
    /// the pattern's placeholders, and adds fields that are not already columns.
    private func validateSidecar(_ sidecar: FileSidecar, of collection: DataCollection, at location: SourceLocation?, fallback: String,
                                 error: (SourceLocation?, String, String, String?) -> Void) {
        guard let pattern = collection.pattern else {
            error(location, fallback, "'sidecar' of '\(collection.name)' is only for pattern collections (a file beside each matched file)",
                  "remove it, or describe the files with pattern: and sidecar:")
            return
        }
        for name in sidecar.placeholders where !pattern.placeholders.contains(name) {
            error(location, fallback, "'\(name)' is not a placeholder of pattern \(pattern), used in the sidecar of '\(collection.name)'",
                  "use the pattern's placeholders: " + pattern.placeholders.joined(separator: ", "))
        }
        if let last = pattern.text.split(separator: "/").last, String(last) == sidecar.file {
            error(location, fallback, "the sidecar of '\(collection.name)' names the file itself", "for example msg{message}.txt beside msg{message}.wav")
        }
        for field in sidecar.fields where field == "path" || pattern.placeholders.contains(field) {
            error(location, fallback, "sidecar field '\(field)' of '\(collection.name)' is already a column of its records", "rename the placeholder")
        }
    }
}
