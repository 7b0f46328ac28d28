import Foundation
import Mustache

/// The Mustache templates of everything a subject reads: `index.<language>.mustache` (the page
/// inside the package), `letter.<language>.mustache` (the cover letter), their partials
/// (`basis.<language>`, `style`). They ship as resources of DSARKit; a controller can use its own
/// folder of templates with the same names.
public struct AccessTemplates: Sendable {
    let library: MustacheLibrary

    /// The templates that ship with DSARKit.
    public static var builtIn: AccessTemplates {
        get throws {
            guard let folder = Bundle.module.url(forResource: "Templates", withExtension: nil) else {
                throw DSARError(.unsupported, "the access templates are missing from the DSARKit resources")
            }
            return try AccessTemplates(folder: folder)
        }
    }

    /// Every `*.mustache` file of `folder`, named by its file name without the extension.
    public init(folder: URL) throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".mustache") }.sorted()
        var templates: [String: MustacheTemplate] = [:]
        for name in names {
            let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            do {
                templates[String(name.dropLast(".mustache".count))] = try MustacheTemplate(string: text)
            } catch {
                throw DSARError(.invalidRequest, "the template \(name) does not parse", location: folder.path, cause: error)
            }
        }
        library = MustacheLibrary(templates: templates)
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
