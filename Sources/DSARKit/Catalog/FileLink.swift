import Foundation

/// Where a row's file lives in a `files` store.
///
/// - `{ column: path, store: recordings }`: the column holds the path inside the store.
/// - `{ path: "monitor/{calldate:yyyy}/{calldate:MM}/{calldate:dd}/{recordingfile}", store: spool }`:
///   the path is built from columns (``FilePathTemplate``).
/// - `{ column: recording_url, store: pbx, strip: "http://10.0.0.5/RECORDINGS/" }`: the column
///   holds a URL or absolute path; `strip` is removed from its front.
/// - `{ column: recording_url, hosts: { 10.0.0.5: pbx1, 10.0.0.6: pbx2 }, strip: /RECORDINGS/ }`:
///   the column holds a URL; its host picks the store, `strip` is removed from its path.
///
/// A NULL or empty value means the row has no file.
public struct FileLink: Sendable, Hashable {
    /// The column holding the path (or URL); for a template, its first column.
    public var column: String
    /// The store holding the files (with ``hosts``, the first of them).
    public var store: String
    /// A path built from several columns.
    public var template: FilePathTemplate?
    /// A prefix removed from the value (or from a URL's path, with ``hosts``).
    public var strip: String?
    /// URL host → store name, for recordings spread over several servers.
    public var hosts: [String: String]

    public init(column: String, store: String, template: FilePathTemplate? = nil, strip: String? = nil, hosts: [String: String] = [:]) {
        self.column = column
        self.store = store
        self.template = template
        self.strip = strip
        self.hosts = hosts
    }

    /// A link whose path is built from columns.
    public init(template: FilePathTemplate, store: String) {
        self.init(column: template.columns.first ?? "", store: store, template: template)
    }

    /// Every column the location is read from.
    public var columns: [String] { template?.columns ?? [column] }

    /// Every store files may live in.
    public var stores: [String] { hosts.isEmpty ? [store] : Array(Set(hosts.values)).sorted() }

    /// A column and values to look up to find every row that may link one of `paths` (a
    /// superset: each row's own location is compared after): the path column itself, the
    /// value with its `strip` prefix, or a template's last part (the file name). `nil` when
    /// the rows cannot be found by value (a URL spread over hosts).
    package func lookup(forPaths paths: Set<String>) -> (column: String, values: Set<String>)? {
        if let template {
            guard case .column(let name)? = template.parts.last,
                  case .literal(let literal)? = template.parts.dropLast().last, literal.hasSuffix("/") else { return nil }
            return (name, Set(paths.map { String($0.split(separator: "/").last ?? "") }))
        }
        guard hosts.isEmpty else { return nil }
        return (column, Set(paths.map { (strip ?? "") + $0 }))
    }

    /// Where a row's file is.
    public enum Location: Sendable, Hashable {
        /// The row has no file (the column is NULL or empty).
        case none
        case file(store: String, path: String)
        /// The value cannot be mapped to a store path; the message names no value.
        case unresolved(String)
    }

    public func location(for record: Record) -> Location {
        if let template {
            return template.path(for: record).map { .file(store: store, path: $0) } ?? .none
        }
        guard let value = record[column]?.textValue, !value.allSatisfy(\.isWhitespace) else { return .none }
        guard !hosts.isEmpty else {
            guard let strip else { return .file(store: store, path: value) }
            guard value.hasPrefix(strip) else {
                return .unresolved("the linked location does not start with the catalog's 'strip' prefix of store '\(store)'")
            }
            return .file(store: store, path: String(value.dropFirst(strip.count)))
        }
        guard let url = URL(string: value.trimmingWhitespace()), let host = url.host(percentEncoded: false) else {
            return .unresolved("the linked location is not a URL with a host")
        }
        guard let hostStore = hosts[host] ?? hosts[host.lowercased()] else {
            return .unresolved("the linked URL's host is not one of the catalog's 'hosts'")
        }
        var path = url.path(percentEncoded: false)
        if let strip {
            guard path.hasPrefix(strip) else {
                return .unresolved("the linked URL's path does not start with the catalog's 'strip' prefix")
            }
            path.removeFirst(strip.count)
        }
        while path.hasPrefix("/") { path.removeFirst() }
        return .file(store: hostStore, path: path)
    }
}
