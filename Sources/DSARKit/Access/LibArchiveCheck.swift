import CArchive

/// The libarchive version DSARKit is linked with (for manifests and `dsar --version`).
public var libarchiveVersion: String {
    String(cString: archive_version_string())
}
