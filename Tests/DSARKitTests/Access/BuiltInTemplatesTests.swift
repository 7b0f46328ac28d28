@testable import DSARKit
import Foundation
import Testing

/// The templates compiled into DSARKit are the ones in `Sources/DSARKit/Access/Templates`.
@Suite("Built-in templates")
struct BuiltInTemplatesTests {
    @Test("The compiled-in templates equal the template files byte for byte (run `bash Scripts/embed-templates.sh` after editing one)")
    func matchFiles() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Sources/DSARKit/Access/Templates")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".mustache") }
        #expect(!names.isEmpty)
        let files = try Dictionary(uniqueKeysWithValues: names.map { name in
            (String(name.dropLast(".mustache".count)), try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8))
        })
        #expect(Set(AccessTemplates.builtInTexts.keys) == Set(files.keys), "run `bash Scripts/embed-templates.sh`")
        for (name, text) in files {
            #expect(AccessTemplates.builtInTexts[name].map { Array($0.utf8) } == Array(text.utf8),
                    "\(name).mustache changed: run `bash Scripts/embed-templates.sh`")
        }
    }
}
