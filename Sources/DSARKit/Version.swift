/// The DSARKit version, written into manifests and certificates.
public let version = "0.1.0"
