@testable import DSARKit
import Mustache
import Testing

@Suite("Page values seen by the templates")
struct AccessPageMustacheTests {
    /// Every stored property must be reachable by name, as reflection would reach it, or a
    /// template would silently render nothing for it.
    func expectEveryProperty(of value: some MustacheParent) {
        for child in Mirror(reflecting: value).children {
            guard let label = child.label else { continue }
            let mirror = Mirror(reflecting: child.value)
            let unwrapped: Any? = mirror.displayStyle == .optional ? mirror.children.first?.value : child.value
            let found = value.child(named: label)
            #expect((found == nil) == (unwrapped == nil), "\(type(of: value)).\(label): reachable by name exactly when it holds a value")
            if let found, let unwrapped {
                #expect("\(found)" == "\(unwrapped)", "\(type(of: value)).\(label) reads as another value")
            }
        }
        #expect(value.child(named: "noSuchProperty") == nil)
    }

    @Test("Collections, rows, cells, files and lawful bases expose every property by name")
    func everyProperty() {
        let file = AccessPage.File(href: "files/a.wav", name: "a.wav", size: "12", inKB: true, inMB: false, isAudio: true, mimeType: "audio/wav")
        let basis = AccessPage.Basis(nil, raw: "custom")
        let row = AccessPage.Row(cells: [.init(text: "x", isNull: false)], held: true, basis: basis, files: [file])
        let collection = AccessPage.Collection(
            name: "calls", anchor: "c-calls", dataJSON: "data/calls.json", dataCSV: "data/calls.csv", purpose: "p", basis: nil,
            basisPerRow: true, categories: ["a"], hasCategories: true, recipients: [], hasRecipients: false, retention: "1 year",
            source: nil, holdReason: "r", hasHeld: true, columns: ["id"], rows: [row], recordCount: 1, hasFiles: true, rowsMarker: "m")
        expectEveryProperty(of: collection)
        expectEveryProperty(of: row)
        expectEveryProperty(of: AccessPage.Cell(text: "x", isNull: true))
        expectEveryProperty(of: file)
        expectEveryProperty(of: basis)
        expectEveryProperty(of: AccessPage.Basis(.consent, raw: nil))
    }
}

