/// What a collection tells the data subject (Art. 15(1)): its purpose, kinds of data,
/// recipients, retention, source and the reason for a legal hold, in one language.
///
/// A catalog gives each of these once, or per language as a mapping (`purpose: { en: …, fr: … }`).
/// ``DataCollection/text(in:)`` picks a language's texts and falls back, field by field, to the
/// collection's own (the `en` text, or the first one given).
public struct CollectionText: Sendable, Hashable {
    public var purpose: String?
    public var categories: [String]?
    public var recipients: [String]?
    public var retention: String?
    public var source: String?
    public var holdReason: String?

    public init(purpose: String? = nil, categories: [String]? = nil, recipients: [String]? = nil, retention: String? = nil,
                source: String? = nil, holdReason: String? = nil) {
        self.purpose = purpose
        self.categories = categories
        self.recipients = recipients
        self.retention = retention
        self.source = source
        self.holdReason = holdReason
    }

    /// The names of the fields this text gives.
    var givenFields: Set<String> {
        var fields = Set<String>()
        if purpose != nil { fields.insert("purpose") }
        if categories != nil { fields.insert("categories") }
        if recipients != nil { fields.insert("recipients") }
        if retention != nil { fields.insert("retention") }
        if source != nil { fields.insert("source") }
        if holdReason != nil { fields.insert("hold reason") }
        return fields
    }
}

extension DataCollection {
    /// The subject-facing texts in `language` (a code such as `fr`), each field falling back to
    /// the collection's own text when the catalog gives none in that language.
    public func text(in language: String) -> CollectionText {
        let translated = translations[language] ?? CollectionText()
        return CollectionText(
            purpose: translated.purpose ?? purpose, categories: translated.categories ?? categories,
            recipients: translated.recipients ?? recipients, retention: translated.retention ?? retention,
            source: translated.source ?? source, holdReason: translated.holdReason ?? hold?.reason)
    }

    /// The collection's own texts, as ``CollectionText``.
    var ownText: CollectionText {
        CollectionText(purpose: purpose, categories: categories.isEmpty ? nil : categories,
                       recipients: recipients.isEmpty ? nil : recipients, retention: retention, source: source,
                       holdReason: hold?.reason)
    }
}
