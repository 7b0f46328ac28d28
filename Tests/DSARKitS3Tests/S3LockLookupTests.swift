import DSARKit
import DSARKitS3
import Foundation
import Logging
import Testing

/// How many requests the Object Lock lookups of a package or a plan cost, counted by a
/// forwarding proxy between the store and moto that writes one line per request.
@Suite("S3 Object Lock lookups")
struct S3LockLookupTests {
    static let proxy = """
        import http.client, http.server, sys
        upstream_host, upstream_port, log = sys.argv[1], int(sys.argv[2]), sys.argv[3]
        class Forward(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            def forward(self):
                with open(log, "a") as f: f.write(self.command + " " + self.path + "\\n")
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                connection = http.client.HTTPConnection(upstream_host, upstream_port)
                connection.request(self.command, self.path, body=body, headers=dict(self.headers))
                answer = connection.getresponse()
                data = answer.read()
                self.send_response(answer.status)
                for name, value in answer.getheaders():
                    if name.lower() not in ("content-length", "transfer-encoding", "connection", "date", "server"):
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                if self.command != "HEAD": self.wfile.write(data)
                connection.close()
            do_GET = do_HEAD = do_PUT = do_DELETE = do_POST = forward
            def log_message(self, *args): pass
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Forward)
        print(server.server_address[1], flush=True)
        server.serve_forever()
        """

    @Test("In a versioned bucket without Object Lock, looking up the locks of every recording costs two requests in all, not two per recording; a locked bucket still reports its locks")
    func requestsPerLookup() async throws {
        guard let moto = S3TestServer.moto else { return }
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("dsar-s3-proxy-\(UUID().uuidString).log")
        defer { try? FileManager.default.removeItem(at: log) }
        let python = Process()
        python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        python.arguments = ["python3", "-c", Self.proxy, moto.endpoint.host ?? "127.0.0.1", "\(moto.endpoint.port ?? 80)", log.path]
        let output = Pipe()
        python.standardOutput = output
        try python.run()
        // SIGKILL: a process the test runner starts may ignore SIGTERM (see S3StalledBodyTests).
        defer { kill(python.processIdentifier, SIGKILL); python.waitUntilExit() }
        let line = String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
        let port = try #require(Int(line.trimmingCharacters(in: .whitespacesAndNewlines)))
        let proxied = S3TestServer(kind: "moto", endpoint: URL(string: "http://127.0.0.1:\(port)")!,
                                   accessKey: moto.accessKey, secretKey: moto.secretKey)
        func requests() -> [String] {
            ((try? String(contentsOf: log, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
        }

        let paths = (1...6).map { "calls/2026/03/call-\($0).wav" }
        let plain = S3TestServer.bucketName()
        try await moto.createBucket(plain)
        try await moto.enableVersioning(plain)
        for path in paths { try await moto.put(plain, path, Data(path.utf8)) }
        let store = try proxied.store(bucket: plain)
        for path in paths { #expect(try await store.lock(on: path) == nil) }
        #expect(requests().count == 2, "\(requests().count) requests for \(paths.count) lookups")

        let locked = S3TestServer.bucketName()
        try await moto.createBucket(locked, objectLock: true)
        for path in paths { try await moto.put(locked, path, Data(path.utf8)) }
        try await moto.put(locked, paths[2], Data("held".utf8), headers: [("x-amz-object-lock-legal-hold", "ON")])
        let lockedStore = try proxied.store(bucket: locked)
        var held: [String] = []
        for path in paths where try await lockedStore.lock(on: path) != nil { held.append(path) }
        #expect(held == [paths[2]])
    }
}
