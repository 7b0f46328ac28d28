import Foundation

/// The values the subject-facing templates are rendered with. Plain data only: every word the
/// subject reads comes from the templates. (Stored properties: Mustache reads them by reflection.)
struct AccessPage {
    struct Basis {
        var consent = false, contract = false, legitimateInterest = false
        var legalObligation = false, vitalInterest = false, publicTask = false
        var other: String?

        init(_ basis: LawfulBasis?, raw: String?) {
            switch basis {
            case .consent?: consent = true
            case .contract?: contract = true
            case .legitimateInterest?: legitimateInterest = true
            case .legalObligation?: legalObligation = true
            case .vitalInterest?: vitalInterest = true
            case .publicTask?: publicTask = true
            case nil: other = raw
            }
        }
    }

    struct File {
        var href: String
        var name: String
        /// The size as a number in the unit the flags name (kB below 1 MB, else MB), with the language's decimal separator.
        var size: String
        var inKB: Bool
        var inMB: Bool
        var isAudio: Bool
        var mimeType: String
        /// The store will not delete the file now (an S3 Object Lock).
        var locked = false
        /// The lock is a legal hold, not a retention period.
        var legalHold = false
        /// The day the lock ends, in the page's language.
        var lockedUntil: String? = nil
    }

    struct Cell {
        var text: String
        var isNull: Bool
    }

    struct Row {
        var cells: [Cell]
        var held: Bool
        /// Kept because it sits under this held row (`customers[id=1]`), not for a hold of its own.
        var heldWith: String? = nil
        var basis: Basis?
        var files: [File]
    }

    struct Collection {
        var name: String
        var anchor: String
        var dataJSON: String
        var dataCSV: String
        var purpose: String?
        var basis: Basis?
        var basisPerRow: Bool
        var categories: [String]
        var hasCategories: Bool
        var recipients: [String]
        var hasRecipients: Bool
        var retention: String?
        var source: String?
        var holdReason: String?
        var hasHeld: Bool
        var columns: [String]
        var rows: [Row]
        var recordCount: Int
        var hasFiles: Bool
        /// Stands where the rows go while the page around them is rendered (see ``AccessTemplates``).
        var rowsMarker = ""
    }

    var language: String
    var subjectName: String
    var identifiers: [String]
    var controllerName: String
    var controllerContact: String
    var authority: String?
    var requestID: String
    var generatedDate: String
    var generatedAt: String
    var portability: Bool
    var encrypted: Bool
    var isZip: Bool
    var someWithheld: Bool
    /// Some items could not be retrieved (a recording missing from its store).
    var incomplete: Bool
    var collections: [Collection]
    var hasRecords: Bool
    var collectionCount: Int
    var recordCount: Int
    var fileCount: Int
    var hasFiles: Bool
    var emptyCollections: [String]
    var hasEmptyCollections: Bool
    /// The package's file name (cover letter only).
    var packageName: String

    /// One part of a scoped request: `count` records of `collection`, of `days`; `of` names the
    /// collection of the records they go with (the recordings of your calls).
    struct ScopeItem {
        var collection: String
        var count: Int
        var one: Bool
        var days: String
        var hasDays: Bool
        var of: String?
        var last: Bool
    }

    /// The request named part of the subject's data (``AccessPackageOptions/scope``).
    var scoped = false
    var scopeItems: [ScopeItem] = []
}
