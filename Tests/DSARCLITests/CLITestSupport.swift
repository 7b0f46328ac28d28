import CallCenterExample
import Foundation
import Testing

/// Runs the built `dsar` executable as a privacy officer would.
enum CLI {
    struct Output {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    static let binary: URL = {
        if let path = ProcessInfo.processInfo.environment["DSAR_BINARY"] { return URL(fileURLWithPath: path) }
        return executable("dsar")
    }()

    /// The test-only `dsar-fault-harness`: the same commands, with crash and clock settings
    /// read from its environment (`DSAR_FAULT_KILL_AFTER_STEP`, `DSAR_FAULT_KILL_STAGE`, `DSAR_FAULT_NOW`).
    static let harness = executable("dsar-fault-harness")

    /// `Examples/EmbeddedService`: a Hummingbird service of the user's that mounts DSARKit.
    static let embeddedService = executable("embedded-service")

    private static func executable(_ name: String) -> URL {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
            Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent(),
            URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(".build/debug"),
        ]
        for folder in candidates {
            let url = folder.appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        fatalError("the \(name) executable was not found next to the tests; build it with `swift build`")
    }

    static func run(_ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:]) throws -> Output {
        try launch(binary, arguments, in: directory, environment: environment)
    }

    /// Runs `executable` and collects what it prints.
    static func launch(_ executable: URL, _ arguments: [String], in directory: URL? = nil,
                       environment: [String: String] = [:]) throws -> Output {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read before waiting so a large output cannot fill the pipe and block the child.
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                      stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// A fresh copy of the call-centre example for one test.
    static func example(_ name: String = #function) throws -> CallCenterDataSet {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("dsar-cli-\(UUID().uuidString.prefix(8))-\(name.filter(\.isLetter).prefix(24))")
        return try CallCenterDataSet.generate(into: folder)
    }
}

extension CLI {
    /// Runs a tool that is not ours (bsdtar, 7z, sha256sum) with a UTF-8 locale.
    static func tool(_ arguments: [String]) throws -> Output {
        try launch(URL(fileURLWithPath: "/usr/bin/env"), arguments, environment: ["LC_ALL": "C.UTF-8"])
    }
}
