import Foundation
import Mustache

/// The Mustache templates of everything a subject reads: `index.<language>.mustache` (the page
/// inside the package), `letter.<language>.mustache` (the cover letter), their partials
/// (`rows.<language>`, `basis.<language>`, `style`). They are compiled into DSARKit (from
/// `Sources/DSARKit/Access/Templates`, by `Scripts/embed-templates.sh`), so `dsar` needs no
/// file beside it; a controller can use its own folder of templates with the same names.
///
/// The rows of each collection's table are rendered apart, a batch at a time, with
/// `rows.<language>` and the collection as context (its `rows` hold the batch), and written
/// where the index includes `{{> rows.<language>}}` inside `{{#collections}}` (at most once; an
/// index that leaves it out shows no rows; one that renders `{{#rows}}` itself is refused). So a
/// package's page never needs all of a subject's records in memory at once.
public struct AccessTemplates: Sendable {
    let library: MustacheLibrary

    /// The templates that ship with DSARKit, compiled in.
    public static var builtIn: AccessTemplates {
        get throws { try AccessTemplates(texts: builtInTexts, location: "the built-in templates") }
    }

    /// Every `*.mustache` file of `folder`, named by its file name without the extension.
    public init(folder: URL) throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".mustache") }.sorted()
        var texts: [String: String] = [:]
        for name in names {
            texts[String(name.dropLast(".mustache".count))] = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
        }
        try self.init(texts: texts, location: folder.path)
    }

    /// Templates by name (`index.en`), each parsed; `location` names them in errors.
    init(texts: [String: String], location: String) throws {
        var templates: [String: MustacheTemplate] = [:]
        for (name, text) in texts.sorted(by: { $0.key < $1.key }) {
            do {
                templates[name] = try MustacheTemplate(string: text)
            } catch {
                throw DSARError(.invalidRequest, "the template \(name).mustache does not parse", location: location, cause: error)
            }
        }
        library = MustacheLibrary(templates: templates)
    }

    /// Renders `index.<language>` with `page` (whose collections hold no rows) and cuts it where
    /// each collection's rows go: one more part than there are collections, and whether the
    /// index shows each collection's rows at all.
    func renderIndexParts(language: PackageLanguage, _ page: AccessPage) throws -> (parts: [String], showsRows: [Bool]) {
        let nonce = UUID().uuidString
        let full = "index.\(language.rawValue)"
        var page = page
        // Each collection carries one sentinel row: an index that renders rows itself, rather
        // than through the partial, would show it, and would lose the real rows.
        let sentinel = "dsar-sentinel-\(nonce)"
        for index in page.collections.indices {
            page.collections[index].rowsMarker = "\u{1}rows-\(nonce)-\(index)\u{1}"
            page.collections[index].rows = [AccessPage.Row(cells: [AccessPage.Cell(text: sentinel, isNull: false)], held: false,
                                                           basis: nil, files: [])]
        }
        var markers = library
        markers.register(try MustacheTemplate(string: "{{{rowsMarker}}}"), named: "rows.\(language.rawValue)")
        guard let text = markers.render(page, withTemplate: full) else {
            throw DSARError(.invalidRequest, "there is no template \(full).mustache for language '\(language.rawValue)'")
        }
        guard !text.contains(sentinel) else {
            throw DSARError(.invalidRequest, "the template \(full).mustache renders {{#rows}} itself; table rows are rendered by " +
                            "rows.\(language.rawValue).mustache: include {{> rows.\(language.rawValue)}} where they go")
        }
        var parts: [String] = []
        var showsRows: [Bool] = []
        var rest = text
        for collection in page.collections {
            let pieces = rest.components(separatedBy: collection.rowsMarker)
            guard pieces.count <= 2 else {
                throw DSARError(.invalidRequest, "the template \(full).mustache includes {{> rows.\(language.rawValue)}} more than once " +
                                "for a collection")
            }
            parts.append(pieces.count == 2 ? pieces[0] : "")
            showsRows.append(pieces.count == 2)
            rest = pieces.last!
        }
        parts.append(rest)
        guard !parts.contains(where: { $0.contains("\u{1}rows-\(nonce)-") }) else {
            throw DSARError(.invalidRequest, "the template \(full).mustache includes {{> rows.\(language.rawValue)}} outside " +
                            "the order of {{#collections}}")
        }
        return (parts, showsRows)
    }

    /// Renders `rows.<language>` for one batch of a collection's rows.
    func renderRows(language: PackageLanguage, _ collection: AccessPage.Collection) throws -> String {
        try render("rows", language: language, collection)
    }

    /// Renders `name.language` (for example `index.fr`) with `view`.
    func render(_ name: String, language: PackageLanguage, _ view: Any) throws -> String {
        let full = "\(name).\(language.rawValue)"
        guard let text = library.render(view, withTemplate: full) else {
            throw DSARError(.invalidRequest, "there is no template \(full).mustache for language '\(language.rawValue)'")
        }
        return text
    }
}
