import _CryptoExtras
import Crypto
import Foundation
import X509

/// The processor's RSA key, which signs every response and status callback
/// (`X-OpenGDPR-Signature`: base64 of the RSA-SHA256, PKCS #1 v1.5, signature of the body's
/// bytes), and the X.509 certificate `/discovery` publishes so controllers can check them.
///
/// Made on first start and kept owner-only (0600) beside the service file. The certificate made
/// then is self-signed; OpenDSR asks for one issued by a trusted authority: have the key
/// certified and put the issued certificate (PEM) in its place, and it is served as it is.
public struct ProcessorKey: Sendable {
    let key: _RSA.Signing.PrivateKey
    /// The certificate, PEM.
    public let certificatePEM: String

    public init(key: _RSA.Signing.PrivateKey, certificatePEM: String) {
        self.key = key
        self.certificatePEM = certificatePEM
    }

    /// A new 2048-bit key and its self-signed certificate for `domain`.
    public static func generate(domain: String, now: Date = Date()) throws -> ProcessorKey {
        do {
            let key = try _RSA.Signing.PrivateKey(keySize: .bits2048)
            let certificateKey = Certificate.PrivateKey(key)
            let name = try DistinguishedName { CommonName(domain) }
            let certificate = try Certificate(
                version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: certificateKey.publicKey,
                notValidBefore: now.addingTimeInterval(-3600), notValidAfter: now.addingTimeInterval(3 * 365 * 86400),
                issuer: name, subject: name, signatureAlgorithm: .sha256WithRSAEncryption,
                extensions: try Certificate.Extensions { SubjectAlternativeNames([.dnsName(domain)]) },
                issuerPrivateKey: certificateKey)
            return ProcessorKey(key: key, certificatePEM: try certificate.serializeAsPEM().pemString)
        } catch {
            throw DSARServiceError(.keyFailure, "the processor's signing key could not be made", cause: error)
        }
    }

    /// The key at `keyPath` and certificate at `certificatePath`, made (0600) when missing.
    public static func loadOrCreate(keyPath: String, certificatePath: String, domain: String) throws -> ProcessorKey {
        let files = FileManager.default
        if files.fileExists(atPath: keyPath) {
            do {
                let key = try _RSA.Signing.PrivateKey(pemRepresentation: String(contentsOfFile: keyPath, encoding: .utf8))
                let pem = try String(contentsOfFile: certificatePath, encoding: .utf8)
                let certificate = try Certificate(pemEncoded: pem)
                guard _RSA.Signing.PublicKey(certificate.publicKey)?.derRepresentation == key.publicKey.derRepresentation else {
                    throw DSARServiceError(.keyFailure, "the processor certificate is not the key's", location: certificatePath)
                }
                return ProcessorKey(key: key, certificatePEM: pem)
            } catch let error as DSARServiceError {
                throw error
            } catch {
                throw DSARServiceError(.keyFailure, "the processor's key or certificate cannot be read", location: keyPath, cause: error)
            }
        }
        let made = try generate(domain: domain)
        try write(made.key.pemRepresentation, to: keyPath)
        try write(made.certificatePEM, to: certificatePath)
        return made
    }

    static func write(_ text: String, to path: String) throws {
        let descriptor = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw DSARServiceError(.keyFailure, "the processor key file cannot be created", location: path) }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        do {
            try handle.write(contentsOf: Data(text.utf8))
            try handle.synchronize()
        } catch {
            throw DSARServiceError(.keyFailure, "the processor key file cannot be written", location: path, cause: error)
        }
    }

    /// Base64 of the RSA-SHA256 (PKCS #1 v1.5) signature of `body`.
    public func signature(of body: Data) throws -> String {
        do {
            return try key.signature(for: body, padding: .insecurePKCS1v1_5).rawRepresentation.base64EncodedString()
        } catch {
            throw DSARServiceError(.keyFailure, "the response could not be signed", cause: error)
        }
    }
}
