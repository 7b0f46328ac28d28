import DSARKit
import DSARKitS3
import Foundation
import Logging
import Testing

/// A server that answers a GET with its headers and the first bytes of the object, then says
/// nothing more while keeping the connection open: what a wedged proxy or a dying disk behind
/// an S3 gateway does. The read must fail (naming the store, not the key) instead of hanging.
@Suite("S3 responses that stall mid-body")
struct S3StalledBodyTests {
    static let server = """
        import socket, threading, time
        def serve(connection):
            buffered = b""
            while True:
                while b"\\r\\n\\r\\n" not in buffered:
                    chunk = connection.recv(65536)
                    if not chunk: return
                    buffered += chunk
                request, _, buffered = buffered.partition(b"\\r\\n\\r\\n")
                connection.sendall(b"HTTP/1.1 200 OK\\r\\nContent-Length: 1000\\r\\nContent-Type: audio/wav\\r\\n\\r\\n")
                if request.startswith(b"GET"):
                    connection.sendall(b"RIFF\\x00\\x00\\x00\\x00WAV")
                    time.sleep(3600)
        listener = socket.socket(); listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", 0)); listener.listen(8)
        print(listener.getsockname()[1], flush=True)
        while True:
            connection, _ = listener.accept()
            threading.Thread(target=serve, args=(connection,), daemon=True).start()
        """

    @Test("A GET whose body stops arriving fails after the store's readTimeout, with an error naming the store", .timeLimit(.minutes(1)))
    func stalledBodyTimesOut() async throws {
        let python = Process()
        python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        python.arguments = ["python3", "-c", Self.server]
        let output = Pipe()
        python.standardOutput = output
        try python.run()
        // SIGKILL: the server ignores the SIGTERM `terminate()` sends when the test runner's
        // thread that started it had blocked that signal (the mask is inherited).
        defer { kill(python.processIdentifier, SIGKILL); python.waitUntilExit() }
        let line = String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
        let port = try #require(Int(line.trimmingCharacters(in: .whitespacesAndNewlines)))

        let declaration = StoreDeclaration(name: "recordings", type: "s3", settings: [
            "endpoint": "http://127.0.0.1:\(port)", "bucket": "calls", "region": "us-east-1", "pathStyle": "true",
            "accessKeyEnv": "KEY", "secretKeyEnv": "SECRET", "readTimeout": "1",
        ])
        let store = try S3Store(declaration: declaration, environment: ["KEY": "k", "SECRET": "s"], logger: Logger(label: "test"))
        let key = "0612345678/call.wav"
        let file = try #require(try await store.file(at: key))
        #expect(file.size == 1000)
        var received = 0
        let error = await #expect(throws: DSARError.self) {
            try await store.read(file) { received += $0.count }
        }
        #expect(received == 11, "the bytes that did arrive were passed on")
        #expect(error?.code == .storeFailure)
        let text = "\(error.map { "\($0)" } ?? "")"
        #expect(text.contains("recordings"), "the error names the store")
        #expect(!text.contains("0612345678"), "the error quotes the object key")
    }

    @Test("readTimeout must be whole seconds from 1 to 3600; the error names the store")
    func readTimeoutValidated() throws {
        for bad in ["0", "-3", "1.5", "forever", "3601"] {
            let declaration = StoreDeclaration(name: "recordings", type: "s3", settings: [
                "endpoint": "http://127.0.0.1:9", "bucket": "calls", "accessKeyEnv": "KEY", "secretKeyEnv": "SECRET", "readTimeout": bad,
            ])
            let error = #expect(throws: DSARError.self) {
                _ = try S3StoreConfiguration(declaration: declaration, environment: ["KEY": "k", "SECRET": "s"])
            }
            #expect("\(error.map { "\($0)" } ?? "")".contains("readTimeout"))
        }
    }
}
