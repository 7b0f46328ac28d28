import Foundation
import DSARKit
import Hummingbird

/// The console's language: `?lang=` (remembered in a cookie), else the first of
/// `Accept-Language` the console speaks, else English.
enum ConsoleLanguage: String, CaseIterable, Sendable {
    case en, fr, ar

    static let cookie = "dsar_lang"

    var isRightToLeft: Bool { self == .ar }
    var package: PackageLanguage { PackageLanguage(rawValue: rawValue) ?? .en }

    static func of(_ request: Request) -> ConsoleLanguage {
        if let asked = request.uri.queryParameters["lang"].flatMap({ ConsoleLanguage(rawValue: String($0)) }) { return asked }
        if let kept = request.cookies[cookie].flatMap({ ConsoleLanguage(rawValue: $0.value) }) { return kept }
        let header = request.headers[.acceptLanguage] ?? ""
        for part in header.split(separator: ",") {
            let tag = part.split(separator: ";")[0].trimmingCharacters(in: .whitespaces).lowercased()
            if let language = ConsoleLanguage(rawValue: String(tag.prefix(2))) { return language }
        }
        return .en
    }
}
