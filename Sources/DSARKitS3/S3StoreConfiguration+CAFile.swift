import DSARKit
import Foundation
import NIOSSL

extension S3StoreConfiguration {
    /// The `caFile` of a declaration, resolved against the catalog's folder, once it is known to
    /// hold at least one PEM certificate: a missing, unreadable or empty file is an error at
    /// once, not a failed handshake later.
    static func trustedAuthorities(_ path: String, baseDirectory: URL?,
                                   invalid: (String) -> DSARError) throws -> URL {
        guard !path.isEmpty else { throw invalid("needs caFile: PATH, a PEM file of the certificate authorities to trust") }
        let base = baseDirectory ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
        let url = path.hasPrefix("/") ? URL(fileURLWithPath: path) : base.appendingPathComponent(path)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw invalid("has caFile '\(path)', which does not exist (paths are relative to the catalog)")
        }
        let certificates: [NIOSSLCertificate]
        do {
            certificates = try NIOSSLCertificate.fromPEMFile(url.path)
        } catch {
            throw invalid("has caFile '\(path)', which could not be read as PEM certificates")
        }
        guard !certificates.isEmpty else { throw invalid("has caFile '\(path)', which holds no PEM certificate") }
        return url
    }
}
