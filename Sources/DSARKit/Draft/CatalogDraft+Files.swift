import Foundation

/// The files of a folder store or bucket, as a draft reads them: paths relative to the root (or
/// prefix), by file name.
struct DraftFolder: Sendable {
    let store: String
    /// The store, for reading sidecar files.
    let source: (any ListableFileStore)?
    let paths: [String]
    let files: Set<String>
    let byName: [String: [String]]

    init(_ folder: any ListableFileStore) async throws {
        self.init(store: folder.name, source: folder, paths: try await folder.allFilePaths().sorted())
    }

    init(store: String, source: (any ListableFileStore)? = nil, paths: [String]) {
        self.store = store
        self.source = source
        self.paths = paths
        files = Set(paths)
        var byName: [String: [String]] = [:]
        for path in paths { byName[String(path.split(separator: "/").last ?? ""), default: []].append(path) }
        self.byName = byName
    }

    /// The paths outside the folders that columns link (`covered`), and not of the shape of a file
    /// in them: a column links recordings in every `calls/2026/03/` folder, not only in those its
    /// sampled paths show.
    func paths(outside covered: Set<String>, regions: [String]) -> [String] {
        guard !covered.isEmpty else { return paths }
        let phone = IdentifierType(name: "phone", kind: .phone, regions: regions)
        let isCovered = { (path: String) in covered.contains { path.hasPrefix($0) } }
        let shapes = Set(paths.filter(isCovered).map { FileNameShape(path: $0, phone: phone).pattern })
        return paths.filter { !isCovered($0) && !shapes.contains(FileNameShape(path: $0, phone: phone).pattern) }
    }
}

extension CatalogDraft {
    /// A text column whose sampled values are files of a folder store: `files: { column, store }`
    /// when at least 80% of the non-empty values are paths of the store; a guessed
    /// `path: "monitor/{calldate:yyyy}/{calldate:MM}/{calldate:dd}/{recordingfile}"` when they
    /// are file names found in dated folders (Asterisk) and the table has a date column.
    /// Returns the link and the folders it covers (prefixes), for the pattern collections to skip.
    static func fileLink(column: String, values: [String], in table: SchemaTable, folders: [DraftFolder],
                         source: any SchemaSource, sampleSize: Int) async throws -> (files: Files, covers: Set<String>)? {
        let names = values.filter { !$0.isEmpty }
        guard !names.isEmpty else { return nil }
        let enough = { (count: Int) in count > 0 && count * 10 >= names.count * 8 }
        for folder in folders {
            let found = names.compactMap { value -> String? in
                let path = value.hasPrefix("/") ? String(value.drop { $0 == "/" }) : value
                return folder.files.contains(path) ? path : nil
            }
            if enough(found.count) {
                let covers = Set(found.map { path in path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) + "/" : "" })
                return (Files(store: folder.store, column: column, path: nil,
                              evidence: "\(ColumnEvidence.grouped(found.count)) of \(ColumnEvidence.grouped(names.count)) sampled values are files of store \(folder.store)",
                              isGuess: false), covers)
            }
            // Rails' Disk service (ActiveStorage): a blob's key k is the file k[0,2]/k[2,2]/k.
            let sliced = names.filter { name in
                name.count > 4 && !name.contains("/") && folder.files.contains("\(name.prefix(2))/\(name.dropFirst(2).prefix(2))/\(name)")
            }.count
            if enough(sliced) {
                return (Files(store: folder.store, column: nil, path: "{\(column):0:2}/{\(column):2:4}/{\(column)}",
                              evidence: "\(ColumnEvidence.grouped(sliced)) of \(ColumnEvidence.grouped(names.count)) sampled values "
                                + "name files at KEY[0,2]/KEY[2,2]/KEY of store \(folder.store) (Rails Disk service)",
                              isGuess: false), [""])
            }
            var prefixes: [String: Int] = [:]
            for name in names where !name.contains("/") {
                for path in folder.byName[name] ?? [] {
                    let parts = path.split(separator: "/").map(String.init)
                    guard parts.count >= 4, FileNameShape.isYear(parts[parts.count - 4]),
                          FileNameShape.isTwoDigits(parts[parts.count - 3], max: 12), FileNameShape.isTwoDigits(parts[parts.count - 2], max: 31) else { continue }
                    prefixes[parts.dropLast(4).map { $0 + "/" }.joined(), default: 0] += 1
                    break
                }
            }
            guard let best = prefixes.max(by: { $0.value < $1.value }), enough(best.value),
                  let date = try await dateColumn(of: table, besides: column, source: source, sampleSize: sampleSize) else { continue }
            let (prefix, count) = (best.key, best.value)
            let q = { (text: String) in "{\(date):\(text)}" }
            return (Files(store: folder.store, column: nil, path: "\(prefix)\(q("yyyy"))/\(q("MM"))/\(q("dd"))/{\(column)}",
                          evidence: "guess: \(ColumnEvidence.grouped(count)) of \(ColumnEvidence.grouped(names.count)) sampled values "
                            + "are file names under \(prefix.isEmpty ? "" : prefix)YYYY/MM/DD/ of store \(folder.store); the date is read from \(date)",
                          isGuess: true), [prefix])
        }
        return nil
    }

    /// The first column named like a date (`calldate`, `created_at`, `start_time`) whose sampled
    /// values start with `yyyy-MM-dd`.
    private static func dateColumn(of table: SchemaTable, besides column: String, source: any SchemaSource,
                                   sampleSize: Int) async throws -> String? {
        for candidate in table.columns where candidate.name != column {
            let lowered = candidate.name.lowercased()
            guard lowered.contains("date") || lowered.contains("time") || lowered.hasSuffix("_at") else { continue }
            let values = try await source.sampleValues(table: table.name, column: candidate.name, limit: sampleSize).compactMap { $0 }
            let dated = values.filter { value in
                let head = value.prefix(10).split(separator: "-").map(\.count)
                return head == [4, 2, 2]
            }
            if !values.isEmpty, dated.count * 10 >= values.count * 8 { return candidate.name }
        }
        return nil
    }

    /// Pattern collections for the files of a folder store whose names hold phone numbers or email
    /// addresses, grouped by shape (`{phone}.wav`, `voicemail/{folder1}/{phone}-{date}.wav`), leaving out the folders
    /// that columns link. A shape whose files hold a single number has its literal text replaced
    /// by placeholders: it could name that number's person.
    static func patternCollections(_ folder: DraftFolder, covered: Set<String>, regions: [String], taken: Set<String>) -> [Collection] {
        let phone = IdentifierType(name: "phone", kind: .phone, regions: regions)
        var groups: [String: (paths: [String], phones: Set<String>)] = [:]
        for path in folder.paths where !covered.contains(where: { path.hasPrefix($0) }) {
            let shape = FileNameShape(path: path, phone: phone)
            guard !shape.phones.isEmpty || !shape.emails.isEmpty else { continue }
            groups[shape.pattern, default: ([], [])].paths.append(path)
            groups[shape.pattern]?.phones.formUnion(shape.phones + shape.emails)
        }
        var shapes: [String: Int] = [:]
        for (pattern, group) in groups {
            if group.phones.count >= 2 {
                shapes[pattern, default: 0] += group.paths.count
            } else {
                for path in group.paths { shapes[FileNameShape(path: path, phone: phone, redacting: true).pattern, default: 0] += 1 }
            }
        }
        var names = taken
        var collections: [Collection] = []
        for (pattern, count) in shapes.sorted(by: { $0.key < $1.key }) {
            guard let parsed = try? FilePattern(pattern) else { continue }
            let name = patternCollectionName(store: folder.store, pattern: pattern, taken: &names)
            let regionsText = regions.isEmpty ? "international" : regions.joined(separator: ", ")
            let identifiers = parsed.placeholders.filter { $0.hasPrefix("phone") || $0.hasPrefix("email") }.map { placeholder in
                let isPhone = placeholder.hasPrefix("phone")
                return Identifier(column: placeholder, type: isPhone ? "phone" : "email",
                                  evidence: "the name of each of \(ColumnEvidence.grouped(count)) file\(count == 1 ? "" : "s") holds "
                                    + (isPhone ? "a phone number (\(regionsText))" : "an email address") + " here",
                                  isGuess: false)
            }
            collections.append(Collection(name: name, store: folder.store, table: "", key: [], identifiers: identifiers, references: [],
                                          notes: [], pattern: pattern))
        }
        return collections
    }

    /// `spool_voicemail` for `voicemail/{phone}-{date}.wav` in store `spool`: the store and the
    /// pattern's first folder (`files` when it has none), made unique against `taken`.
    static func patternCollectionName(store: String, pattern: String, taken names: inout Set<String>) -> String {
        let first = pattern.split(separator: "/").first.map(String.init).flatMap { $0.contains("{") ? nil : $0 } ?? "files"
        var name = "\(store)_\(first)".map { $0.isLetter || $0.isNumber || $0 == "_" ? String($0) : "_" }.joined()
        if names.contains(name) {
            var suffix = 2
            while names.contains("\(name)_\(suffix)") { suffix += 1 }
            name = "\(name)_\(suffix)"
        }
        names.insert(name)
        return name
    }
}
