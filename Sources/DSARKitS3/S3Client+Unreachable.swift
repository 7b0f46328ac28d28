import DSARKit
import NIOSSL

extension S3Client {
    /// The error for a request that never got an answer. A certificate the store does not
    /// trust says so, and where the store looks for its authorities: it is a setting to fix,
    /// not a server that is down. Never the URL (it holds the object key), never a credential.
    func unreachable(_ error: any Error) -> DSARError {
        let bucket = configuration.bucket
        let cause = S3TransportError(underlying: error)
        switch S3TransportError.TLSFailure(error) {
        case .untrusted:
            let trust = configuration.caFile.map { "the authorities in its caFile '\($0.path)'" } ?? "the system's trust store"
            return DSARError(.storeUnavailable, "s3 store '\(store)': the TLS certificate of its endpoint is not trusted by \(trust), "
                                + "so bucket '\(bucket)' was not reached; give the certificate authority that signed it with caFile: path/to/ca.pem",
                             location: location, cause: cause)
        case .wrongHost:
            let host = (configuration.pathStyle ? "" : "\(bucket).") + (configuration.endpoint.host ?? "")
            return DSARError(.storeUnavailable, "s3 store '\(store)': the TLS certificate of its endpoint does not name host '\(host)', "
                                + "so bucket '\(bucket)' was not reached; check the endpoint"
                                + (configuration.pathStyle ? "" : " (with pathStyle: false the certificate must name the bucket's host)"),
                             location: location, cause: cause)
        case .handshake:
            return DSARError(.storeUnavailable, "s3 store '\(store)': the TLS handshake with its endpoint failed, so bucket '\(bucket)' "
                                + "was not reached; check that the endpoint speaks https", location: location, cause: cause)
        case nil:
            return DSARError(.storeUnavailable, "s3 store '\(store)' could not reach bucket '\(bucket)' at its endpoint",
                             location: location, cause: cause)
        }
    }
}

extension S3TransportError {
    /// What went wrong in a TLS handshake, when that is what failed.
    enum TLSFailure {
        /// The certificate does not chain to a trusted authority (or is expired, or not yet valid).
        case untrusted
        /// The certificate chains to a trusted authority but names another host.
        case wrongHost
        /// Any other handshake failure: a plain-http server, no common protocol version.
        case handshake

        init?(_ error: any Error) {
            if let error = error as? NIOSSLExtraError {
                if error == .failedToValidateHostname { self = .wrongHost } else { self = .handshake }
            } else if let error = error as? NIOSSLError {
                if case .handshakeFailed(let reason) = error, "\(reason)".contains("CERTIFICATE_VERIFY_FAILED") {
                    self = .untrusted
                } else {
                    self = .handshake
                }
            } else {
                return nil
            }
        }
    }
}
