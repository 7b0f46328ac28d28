import Foundation

extension CatalogDraft {
    /// Pattern collections for files with a text file beside them that names their caller
    /// (Asterisk's voicemail `msg0000.wav` and its `msg0000.txt`, `callerid="Amel" <98123456>`):
    /// grouped by the shape of the files' names, with `sidecar: { file: "msg{n1}.txt", fields: […] }`
    /// listing each `key=value` field whose sampled values are emails or phone numbers (caller ids
    /// included, read with `extract`). Up to `sampleSize` sidecars of each shape are read; their
    /// values are counted, never kept.
    static func sidecarCollections(_ folder: DraftFolder, regions: [String], taken: Set<String>, sampleSize: Int) async throws -> [Collection] {
        guard let source = folder.source else { return [] }
        let phone = IdentifierType(name: "phone", kind: .phone, regions: regions)
        var shapes: [String: [String]] = [:]
        for path in folder.paths where !path.lowercased().hasSuffix(".txt") && folder.files.contains(sidecarPath(of: path)) {
            shapes[FileNameShape(path: path, phone: phone).pattern, default: []].append(sidecarPath(of: path))
        }
        let groups = mergingFolders(shapes)
        var names = taken
        var collections: [Collection] = []
        for (text, sidecars) in groups.sorted(by: { $0.key < $1.key }) {
            guard let pattern = try? FilePattern(text), let last = text.split(separator: "/").last else { continue }
            let file = sidecarPath(of: String(last))
            guard (try? FileSidecar(file: file, fields: ["x"]))?.placeholders.allSatisfy(pattern.placeholders.contains) == true else { continue }
            var valuesByKey: [String: [String?]] = [:]
            for path in sidecars.prefix(sampleSize) {
                let fields: [(String, String)]
                do {
                    fields = try await sidecarFields(path, in: source)
                } catch {
                    // No cause: it would print the file's path, which can name its person.
                    throw DSARError(.storeFailure, "cannot read a sidecar file of shape \(text)", location: folder.store)
                }
                for (key, value) in fields { valuesByKey[key, default: []].append(value) }
            }
            var identifiers: [Identifier] = []
            var notes: [String] = []
            for key in valuesByKey.keys.sorted() where !pattern.placeholders.contains(key) && key != "path" {
                let values = valuesByKey[key] ?? []
                guard let identifier = sidecarIdentifier(key, values: values, of: min(sidecars.count, sampleSize), regions: regions) else { continue }
                if let repeated = ColumnEvidence.repeatedValue(values) {
                    notes.append(ColumnEvidence.repeatedNote("sidecar field " + key, kind: identifier.type == "email" ? .email : .phone, repeated))
                } else {
                    identifiers.append(identifier)
                }
            }
            guard !identifiers.isEmpty else { continue }
            collections.append(Collection(name: patternCollectionName(store: folder.store, pattern: text, taken: &names), store: folder.store,
                                          table: "", key: [], identifiers: identifiers, references: [], notes: notes, pattern: text,
                                          sidecar: Sidecar(file: file, fields: identifiers.map(\.column))))
        }
        return collections
    }

    /// Shapes that differ in folder names only (`voicemail/default/{folder1}/INBOX/msg{n1}.wav`, `…/Old/…`)
    /// as one, each differing folder a placeholder (`voicemail/default/{folder1}/{dir1}/msg{n1}.wav`).
    static func mergingFolders(_ shapes: [String: [String]]) -> [String: [String]] {
        var families: [[String]: [String]] = [:]
        for pattern in shapes.keys {
            let parts = pattern.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            families[[String(parts.count), parts.first ?? "", parts.last ?? ""], default: []].append(pattern)
        }
        var merged: [String: [String]] = [:]
        for members in families.values {
            let split = members.sorted().map { $0.split(separator: "/", omittingEmptySubsequences: false).map(String.init) }
            var parts = split[0]
            var count = 0
            for index in parts.indices.dropFirst().dropLast() where split.contains(where: { $0[index] != parts[index] }) {
                count += 1
                parts[index] = "{dir\(count)}"
            }
            merged[parts.joined(separator: "/"), default: []] += members.sorted().flatMap { shapes[$0] ?? [] }
        }
        return merged
    }

    /// `voicemail/…/msg0000.txt` for `voicemail/…/msg0000.wav`.
    static func sidecarPath(of path: String) -> String {
        let slash = path.lastIndex(of: "/").map { path.index(after: $0) } ?? path.startIndex
        guard let dot = path[slash...].lastIndex(of: "."), dot > slash else { return path + ".txt" }
        return String(path[..<dot]) + ".txt"
    }

    private static func sidecarIdentifier(_ key: String, values: [String?], of sidecars: Int, regions: [String]) -> Identifier? {
        guard isKeyName(key) else { return nil }
        let place = values.count == sidecars ? "; the line is in every sampled sidecar"
            : "; the line is in \(ColumnEvidence.grouped(values.count)) of \(ColumnEvidence.grouped(sidecars)) sampled sidecars"
        if let evidence = ColumnEvidence.classify(column: key, values: values, regions: regions) {
            return Identifier(column: key, type: evidence.kind.rawValue, evidence: evidence.summary + place, isGuess: false)
        }
        guard let evidence = ColumnEvidence.classifyCallerIDs(values: values, regions: regions, column: key) else { return nil }
        return Identifier(column: key, type: "phone", evidence: evidence.summary + " between < and >" + place, isGuess: false,
                          extract: ColumnEvidence.callerIDExtract)
    }

    /// The `key=value` lines of a sidecar (its first 64 KiB, read through the store's
    /// ``FileStore`` API: a folder's file or a bucket's object), read as ``FileSidecar`` reads them.
    private static func sidecarFields(_ path: String, in store: any ListableFileStore) async throws -> [(String, String)] {
        guard let data = try await store.head(of: path, limit: 65_536) else { throw DSARError(.fileMissing, "a sidecar vanished", location: store.name) }
        let text = String(decoding: data, as: UTF8.self)
        var seen: Set<String> = []
        return text.split(whereSeparator: \.isNewline).compactMap { line in
            let trimmed = String(line).trimmingWhitespace()
            guard !trimmed.hasPrefix(";"), !trimmed.hasPrefix("#"), !trimmed.hasPrefix("["), let equals = trimmed.firstIndex(of: "=") else { return nil }
            let key = String(trimmed[..<equals]).trimmingWhitespace()
            guard !key.isEmpty, seen.insert(key).inserted else { return nil }
            return (key, String(trimmed[trimmed.index(after: equals)...]).trimmingWhitespace())
        }
    }
}
