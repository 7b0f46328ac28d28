import Foundation

extension AccessPage {
    /// The page without table rows: ``AccessPackageWriter`` renders them a batch at a time with
    /// the `rows` template and writes them where the index template includes it.
    init(contents: PackageContents, result: DiscoveryResult, catalog: Catalog, options: AccessPackageOptions, packageName: String,
         scope: ScopeStatement? = nil) {
        language = options.language.rawValue
        identifiers = result.subject.identifiers.map(\.description)
        subjectName = options.subjectName ?? contents.guessedName ?? identifiers.joined(separator: ", ")
        controllerName = catalog.controller.name
        controllerContact = catalog.controller.contact
        authority = catalog.controller.authority
        requestID = options.requestID
        generatedDate = Self.longDate(options.generatedAt, language: options.language)
        generatedAt = ISO8601.timestamp(options.generatedAt)
        portability = options.portability
        encrypted = options.passphrase != nil
        isZip = options.format == .zip
        someWithheld = contents.someWithheld
        incomplete = !result.problems.isEmpty
        collections = contents.collections.map { Self.collection($0, language: options.language) }
        hasRecords = !collections.isEmpty
        collectionCount = collections.count
        recordCount = contents.recordCount
        fileCount = contents.files.count
        hasFiles = fileCount > 0
        let present = Set(contents.collections.map(\.collection.name))
        emptyCollections = catalog.collections.map(\.name).filter { !present.contains($0) }
        self.packageName = packageName
        if let scope {
            // Collections outside the scope were not looked at for this answer: never "found nothing".
            emptyCollections = []
            scoped = true
            scopeItems = scope.parts.enumerated().map { index, part in
                let days = part.days.compactMap { CalendarDay($0) }.map { Self.longDate($0.date, language: options.language) }
                return ScopeItem(collection: part.collection, count: part.records, one: part.records == 1,
                                 days: days.joined(separator: ", "), hasDays: !days.isEmpty, of: part.of,
                                 last: index == scope.parts.count - 1)
            }
        }
        hasEmptyCollections = !emptyCollections.isEmpty
    }

    /// A collection's section, without rows, with the catalog's texts in `language` where it gives them.
    static func collection(_ part: PackageContents.Collection, language: PackageLanguage) -> Collection {
        let catalogEntry = part.collection
        let text = catalogEntry.text(in: language.rawValue)
        let categories = text.categories ?? [], recipients = text.recipients ?? []
        // Why rows are kept longer: the collection's own hold, and the holds of the rows others sit under.
        let reasons = ([part.hasOwnHeld ? text.holdReason : nil] + part.heldUnderCollections.map { $0.text(in: language.rawValue).holdReason })
            .compactMap { $0 }
        var fixedBasis: Basis?
        if case .fixed(let basis)? = catalogEntry.lawfulBasis { fixedBasis = Basis(basis, raw: nil) }
        return Collection(
            name: catalogEntry.name, anchor: "c-" + part.dataName.filter { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" },
            dataJSON: "data/\(part.dataName).json", dataCSV: "data/\(part.dataName).csv",
            purpose: text.purpose, basis: fixedBasis, basisPerRow: fixedBasis == nil && catalogEntry.lawfulBasis != nil,
            categories: categories, hasCategories: !categories.isEmpty,
            recipients: recipients, hasRecipients: !recipients.isEmpty,
            retention: text.retention, source: text.source,
            holdReason: reasons.isEmpty ? nil : reasons.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }.joined(separator: "; "),
            hasHeld: part.hasHeld,
            columns: part.columns, rows: [], recordCount: part.records.count, hasFiles: !part.files.isEmpty)
    }

    /// One table row: the record's cells in the section's column order, its legal basis when it
    /// differs per row, its files and whether it is held (or kept with a held row it sits under).
    static func row(_ found: FoundRecord, _ record: Record, in part: PackageContents.Collection, now: Date,
                    language: PackageLanguage) -> Row {
        let catalogEntry = part.collection
        var basis: Basis?
        if case .column(let column)? = catalogEntry.lawfulBasis {
            let raw = record[column]?.textValue
            basis = Basis(raw.flatMap(LawfulBasis.init(rawValue:)), raw: raw)
        }
        let held = catalogEntry.hold.map { isHeld(record, rule: $0, now: now) } ?? false
        return Row(cells: part.columns.map { cell(record[$0] ?? .null) }, held: held, heldWith: held ? nil : part.heldUnder[found.id.key],
                   basis: basis, files: (part.filesByKey[found.id.key] ?? []).map { file(for: $0, language: language) })
    }

    static func cell(_ value: Value) -> Cell {
        switch value {
        case .null: Cell(text: "", isNull: true)
        case .blob(let data): Cell(text: data.base64EncodedString(), isNull: false)
        default: Cell(text: value.textValue ?? "", isNull: false)
        }
    }

    static func file(for file: PackageContents.PackageFile, language: PackageLanguage) -> File {
        let name = (file.found.path as NSString).lastPathComponent
        let ext = (name as NSString).pathExtension.lowercased()
        let audioTypes = ["wav": "audio/wav", "mp3": "audio/mpeg", "ogg": "audio/ogg", "opus": "audio/ogg",
                          "m4a": "audio/mp4", "flac": "audio/flac", "aac": "audio/aac"]
        let inKB = file.found.size < 1_000_000
        let amount = Double(file.found.size) / (inKB ? 1_000 : 1_000_000)
        let size = amount.formatted(.number.precision(.fractionLength(inKB ? 0 : 1)).locale(Locale(identifier: language.localeIdentifier)))
        var page = File(href: href(file.archivePath), name: name, size: size, inKB: inKB, inMB: !inKB,
                        isAudio: audioTypes[ext] != nil, mimeType: audioTypes[ext] ?? "application/octet-stream")
        if let lock = file.lock {
            page.locked = true
            page.legalHold = lock.isLegalHold
            page.lockedUntil = lock.until.flatMap(day).map { longDate($0, language: language) }
        }
        return page
    }

    /// A relative URL for an archive path: each segment percent-encoded (`#`, `?`, `%`, spaces, non-ASCII).
    static func href(_ path: String) -> String {
        var allowed = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)...Unicode.Scalar(127)))
        allowed.insert(charactersIn: "-._~")
        return path.split(separator: "/", omittingEmptySubsequences: false)
            .map { String($0).addingPercentEncoding(withAllowedCharacters: allowed) ?? String($0) }
            .joined(separator: "/")
    }

    /// Held (Art. 17(3)), judged exactly as erasure judges it (``HoldRule/holds(_:at:)``), so
    /// the page never calls a row free that erasure would keep.
    static func isHeld(_ record: Record, rule: HoldRule, now: Date) -> Bool {
        rule.holds(record[rule.column] ?? .null, at: now).held
    }

    /// The subject's name from a record's name columns, if it has them.
    static func guessName(_ fields: Record) -> String? {
        if let first = fields["first_name"]?.textValue, let last = fields["last_name"]?.textValue {
            return "\(first) \(last)"
        }
        if let first = fields["given_name"]?.textValue, let last = fields["family_name"]?.textValue {
            return "\(first) \(last)"
        }
        if let name = (fields["full_name"] ?? fields["name"])?.textValue, !name.isEmpty { return name }
        return nil
    }

    /// `2099-03-01` as a date at midnight UTC.
    static func day(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        return formatter.date(from: text)
    }

    static func longDate(_ date: Date, language: PackageLanguage) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: language.localeIdentifier)
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateStyle = .long
        formatter.timeStyle = .none
        return formatter.string(from: date)
    }
}
