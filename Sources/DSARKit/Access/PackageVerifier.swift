import Crypto
import Foundation

/// Checks a package against its own manifest: every entry read to its end, present in the
/// manifest with the same size and SHA-256, nothing extra, nothing missing.
///
/// A zip's CRC and AES authentication are checked by libarchive as entries are read (a warning
/// counts as damage); tar.gz and tar.zst carry no usable checksum, so the manifest's SHA-256 is what
/// catches a flipped bit there. The manifest itself is not signed: the check proves the package
/// is intact, not who wrote it.
public enum PackageVerifier {
    /// The largest manifest read (it grows with the number of records).
    static let manifestLimit = 256 << 20

    /// Reads the whole package at `url`. Throws only when it cannot be read at all as a package
    /// (not an archive, encrypted without a passphrase); damage is reported as mismatches.
    public static func verify(_ url: URL, passphrase: Passphrase? = nil) throws -> VerificationReport {
        let reader = try ArchiveReader(url: url, passphrase: passphrase)
        var report = VerificationReport(format: reader.format, encrypted: false, entries: 0, bytes: 0, manifest: nil, mismatches: [])
        var found: [(path: String, size: Int64, sha256: String)] = []
        var seen = Set<String>()
        var manifestData: Data?
        do {
            while let entry = try reader.nextEntry() {
                report.entries += 1
                if entry.isEncrypted {
                    report.encrypted = true
                    if passphrase == nil {
                        throw DSARError(.passphraseRequired, "the package is encrypted: give its passphrase", location: url.lastPathComponent)
                    }
                }
                if entry.isDirectory {
                    // Archive tools add folder entries when a package is repacked; they hold no data.
                    try reader.readData { _ in }
                    continue
                }
                guard entry.isRegularFile, seen.insert(entry.path).inserted else {
                    report.mismatches.append(.init(kind: .unexpected, path: entry.path,
                                                   detail: entry.isRegularFile ? "appears twice" : "is not a regular file"))
                    try reader.readData { _ in }
                    continue
                }
                var hasher = SHA256()
                var data = entry.path == PackageManifest.entryPath ? Data() : nil
                let size = try reader.readData { chunk in
                    hasher.update(bufferPointer: chunk)
                    if data != nil, data!.count + chunk.count <= manifestLimit { data!.append(contentsOf: chunk) }
                }
                report.bytes += size
                if let data { manifestData = data } else {
                    found.append((entry.path, size, hasher.finalize().hex))
                }
            }
        } catch let error as DSARError where error.code == .packageInvalid {
            report.mismatches.append(.init(kind: .damaged, path: error.location, detail: error.message + causeText(error)))
        }
        compare(found, manifestData, into: &report)
        return report
    }

    private static func causeText(_ error: DSARError) -> String {
        error.cause.map { " (\($0))" } ?? ""
    }

    /// Compares what was read with the manifest.
    static func compare(_ found: [(path: String, size: Int64, sha256: String)], _ manifestData: Data?,
                        into report: inout VerificationReport) {
        guard let manifestData else {
            if report.mismatches.isEmpty {
                report.mismatches.append(.init(kind: .missing, path: PackageManifest.entryPath, detail: "the package has no manifest"))
            }
            return
        }
        guard let manifest = try? JSONDecoder().decode(PackageManifest.self, from: manifestData),
              manifest.type == PackageManifest.typeName else {
            report.mismatches.append(.init(kind: .changed, path: PackageManifest.entryPath, detail: "the manifest is not readable"))
            return
        }
        report.manifest = manifest
        let listed = Dictionary(manifest.files.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        var present = Set<String>()
        for entry in found {
            present.insert(entry.path)
            guard let expected = listed[entry.path] else {
                report.mismatches.append(.init(kind: .extra, path: entry.path, detail: "not listed in the manifest"))
                continue
            }
            if expected.size != entry.size {
                report.mismatches.append(.init(kind: .changed, path: entry.path,
                                               detail: "\(entry.size) bytes, the manifest says \(expected.size)"))
            } else if expected.sha256 != entry.sha256 {
                report.mismatches.append(.init(kind: .changed, path: entry.path, detail: "SHA-256 differs from the manifest"))
            }
        }
        for file in manifest.files where !present.contains(file.path) {
            report.mismatches.append(.init(kind: .missing, path: file.path, detail: "listed in the manifest but not in the package"))
        }
    }
}
