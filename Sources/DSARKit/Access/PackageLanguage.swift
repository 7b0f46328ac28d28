/// The language of the subject-facing parts of a package (`index.html`, the cover letter).
/// Each language is a set of templates in `Access/Templates`.
///
/// Arabic (`ar`) is written for a Tunisian reader: pages are right-to-left, and dates use the
/// `ar_TN` locale, which on Linux and Apple platforms alike gives Western digits (0-9) and the
/// Maghreb month names (جانفي، فيفري، مارس، أفريل، ماي، جوان، جويلية، أوت، …), as Tunisian
/// letters and forms write them: "15 مارس، 2026".
public enum PackageLanguage: String, Sendable, Hashable, CaseIterable, Codable {
    case en, fr, ar

    /// The locale used for dates shown to the subject.
    var localeIdentifier: String {
        switch self {
        case .en: "en_GB"
        case .fr: "fr_FR"
        case .ar: "ar_TN"
        }
    }
}
