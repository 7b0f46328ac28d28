import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// A real `dsar serve` (or `embedded-service`) process on a free port (`--listen 127.0.0.1:0`), its output in files the
/// test reads once it is stopped. Stopped with SIGKILL: the test runner blocks SIGTERM in its children.
final class ServeProcess: Sendable {
    let process: Process
    let output: URL
    let errors: URL
    let base: String

    static func start(catalog: String, arguments: [String] = [], in folder: URL) async throws -> ServeProcess {
        try await launch(CLI.binary, ["serve", "--catalog", catalog, "--listen", "127.0.0.1:0"] + arguments, in: folder)
    }

    /// Starts `executable`, which prints `http://127.0.0.1:PORT` once it listens.
    static func launch(_ executable: URL, _ arguments: [String], in folder: URL) async throws -> ServeProcess {
        let output = folder.appendingPathComponent("serve.out"), errors = folder.appendingPathComponent("serve.err")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = try FileHandle(forWritingTo: errors)
        try process.run()
        for _ in 0..<600 {
            let printed = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
            if let range = printed.range(of: #"http://127\.0\.0\.1:[0-9]+"#, options: .regularExpression) {
                return ServeProcess(process: process, output: output, errors: errors, base: String(printed[range]))
            }
            if !process.isRunning { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        kill(process.processIdentifier, SIGKILL)
        let stderr = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
        throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "\(executable.lastPathComponent) did not start: \(stderr.prefix(400))"])
    }

    private init(process: Process, output: URL, errors: URL, base: String) {
        self.process = process
        self.output = output
        self.errors = errors
        self.base = base
    }

    /// Kills the server and returns all it printed (stdout then stderr).
    @discardableResult
    func stop() -> String {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        return ((try? String(contentsOf: output, encoding: .utf8)) ?? "") + ((try? String(contentsOf: errors, encoding: .utf8)) ?? "")
    }

    struct Reply {
        var status: Int
        var body: Data
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:] }
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    /// One request with a real HTTP client.
    func send(_ method: HTTPMethod, _ path: String, token: String? = nil, json: [String: Any]? = nil) async throws -> Reply {
        var request = HTTPClientRequest(url: base + path)
        request.method = method
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json)))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 1 << 20)
        return Reply(status: Int(response.status.code), body: Data(body.readableBytesView))
    }
}
