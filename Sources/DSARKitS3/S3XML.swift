import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// An S3 XML answer (a listing, an error) as a small tree of elements.
struct S3XML: Sendable {
    var name: String
    var text: String
    var children: [S3XML]

    /// The tree of `data`; an unreadable document is an empty root (callers then find nothing,
    /// and treat a missing required element as an error).
    static func parse(_ data: Data) -> S3XML {
        let builder = Builder()
        let parser = XMLParser(data: data)
        parser.delegate = builder
        guard parser.parse(), let root = builder.root else { return S3XML(name: "", text: "", children: []) }
        return root
    }

    /// The text of the first element named `name` at any depth.
    func first(_ name: String) -> String? {
        if self.name == name { return text }
        for child in children { if let found = child.first(name) { return found } }
        return nil
    }

    /// The direct children named `name`.
    func all(_ name: String) -> [S3XML] { children.filter { $0.name == name } }

    /// The text of the direct child named `name`.
    subscript(_ name: String) -> String? { children.first { $0.name == name }?.text }

    private final class Builder: NSObject, XMLParserDelegate {
        var stack: [S3XML] = []
        var root: S3XML?

        func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                    qualifiedName: String?, attributes: [String: String] = [:]) {
            stack.append(S3XML(name: elementName, text: "", children: []))
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            guard !stack.isEmpty else { return }
            stack[stack.count - 1].text += string
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
            guard let element = stack.popLast() else { return }
            if stack.isEmpty { root = element } else { stack[stack.count - 1].children.append(element) }
        }
    }
}
