import Foundation

/// A throw-away certificate authority made with `openssl`, as an on-premise S3 server's internal
/// CA would be: `ca.pem` to trust, and a server certificate it signed for `127.0.0.1`,
/// `localhost`, `s3.dsar.test` and `*.s3.dsar.test` (the buckets' hosts in virtual-hosted style).
struct TestCertificateAuthority {
    let folder: URL
    var caFile: URL { folder.appendingPathComponent("ca.pem") }
    var serverCertificate: URL { folder.appendingPathComponent("server.pem") }
    var serverKey: URL { folder.appendingPathComponent("server.key") }

    /// `rclone serve s3` flags serving the signed certificate.
    var rcloneArguments: [String] { ["--cert", serverCertificate.path, "--key", serverKey.path] }

    /// Makes the CA and a server certificate in a new folder; `names` are the server
    /// certificate's subject alternative names.
    static func make(names: [String] = ["IP:127.0.0.1", "DNS:localhost", "DNS:s3.dsar.test", "DNS:*.s3.dsar.test"]) throws -> TestCertificateAuthority {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dsar-ca-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let ca = TestCertificateAuthority(folder: folder)
        let extensions = folder.appendingPathComponent("server.ext")
        try Data("""
            subjectAltName=\(names.joined(separator: ","))
            basicConstraints=critical,CA:FALSE
            keyUsage=critical,digitalSignature
            extendedKeyUsage=serverAuth

            """.utf8).write(to: extensions)
        let key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        try openssl(["req", "-x509"] + key + ["-keyout", folder.appendingPathComponent("ca.key").path, "-out", ca.caFile.path,
                     "-days", "2", "-subj", "/CN=DSAR Test Internal CA",
                     "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"])
        try openssl(["req"] + key + ["-keyout", ca.serverKey.path, "-out", folder.appendingPathComponent("server.csr").path,
                     "-subj", "/CN=s3.dsar.test"])
        try openssl(["x509", "-req", "-in", folder.appendingPathComponent("server.csr").path, "-CA", ca.caFile.path,
                     "-CAkey", folder.appendingPathComponent("ca.key").path, "-CAcreateserial", "-days", "2",
                     "-out", ca.serverCertificate.path, "-extfile", extensions.path])
        return ca
    }

    private static func openssl(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl"] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw TestFailure("openssl \(arguments.first ?? "") failed: \(String(decoding: text, as: UTF8.self))")
        }
    }

    func remove() { try? FileManager.default.removeItem(at: folder) }
}
