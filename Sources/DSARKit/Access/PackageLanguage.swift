/// The language of the subject-facing parts of a package (`index.html`, the cover letter).
/// Each language is a set of templates in `Access/Templates`.
public enum PackageLanguage: String, Sendable, Hashable, CaseIterable, Codable {
    case en, fr

    /// The locale used for dates shown to the subject.
    var localeIdentifier: String {
        switch self {
        case .en: "en_GB"
        case .fr: "fr_FR"
        }
    }
}
