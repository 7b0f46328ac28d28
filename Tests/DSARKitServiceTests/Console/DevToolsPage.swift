import Foundation
import HummingbirdWSClient
import Logging
import NIOCore

/// A page of a headless Chromium, driven through the DevTools protocol over its WebSocket:
/// commands by id, events kept until asked for.
final class DevToolsPage {
    private var messages: WebSocketInboundMessageStream.AsyncIterator
    private let outbound: WebSocketOutboundWriter
    private var nextID = 0
    private var events: [[String: Any]] = []

    init(_ inbound: WebSocketInboundStream, _ outbound: WebSocketOutboundWriter) {
        messages = inbound.messages(maxSize: 1 << 26).makeAsyncIterator()
        self.outbound = outbound
    }

    /// Sends `method` and returns its `result`; a protocol error throws.
    @discardableResult
    func send(_ method: String, _ params: [String: Any] = [:]) async throws -> [String: Any] {
        nextID += 1
        let id = nextID
        let data = try JSONSerialization.data(withJSONObject: ["id": id, "method": method, "params": params])
        try await outbound.writeTextMessage(String(decoding: data, as: UTF8.self))
        while true {
            let message = try await next()
            if message["id"] as? Int == id {
                if let error = message["error"] { throw DevToolsError(message: "\(method): \(error)") }
                return message["result"] as? [String: Any] ?? [:]
            }
            events.append(message)
        }
    }

    /// Waits for the event `method` (one already received counts), then forgets it.
    func waitFor(_ method: String) async throws {
        if let index = events.firstIndex(where: { $0["method"] as? String == method }) {
            events.remove(at: index)
            return
        }
        while true {
            let message = try await next()
            if message["method"] as? String == method { return }
            events.append(message)
        }
    }

    /// Opens `url` and waits for its load event.
    func open(_ url: String) async throws {
        events.removeAll()
        try await send("Page.navigate", ["url": url])
        try await waitFor("Page.loadEventFired")
    }

    /// Runs JavaScript in the page (from DevTools, not the page: the console ships none) and returns its value.
    func evaluate(_ expression: String) async throws -> Any? {
        let result = try await send("Runtime.evaluate", ["expression": expression, "returnByValue": true, "awaitPromise": true])
        if let exception = result["exceptionDetails"] { throw DevToolsError(message: "evaluate: \(exception)") }
        return (result["result"] as? [String: Any])?["value"]
    }

    func text(_ selector: String) async throws -> String {
        try await evaluate("document.querySelector(\(Self.quoted(selector)))?.innerText ?? ''") as? String ?? ""
    }

    /// Sets the form fields by selector and clicks `button`, then waits for the next page.
    func submit(_ fields: [String: String], click button: String) async throws {
        events.removeAll()
        var script = fields.map { "document.querySelector(\(Self.quoted($0.key))).value = \(Self.quoted($0.value));" }.joined()
        script += "document.querySelector(\(Self.quoted(button))).click(); true"
        _ = try await evaluate(script)
        try await waitFor("Page.loadEventFired")
    }

    /// Waits until the page (which may reload itself meanwhile, as a run's progress page does)
    /// shows an element matching `selector`.
    func waitForElement(_ selector: String, seconds: Int = 120) async throws {
        for _ in 0..<(seconds * 5) {
            if (try? await evaluate("document.querySelector(\(Self.quoted(selector))) !== null")) as? Bool == true { return }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw DevToolsError(message: "no \(selector) on the page")
    }

    /// A PNG of the page's viewport.
    func screenshot() async throws -> Data {
        let result = try await send("Page.captureScreenshot", ["format": "png"])
        guard let base64 = result["data"] as? String, let data = Data(base64Encoded: base64) else {
            throw DevToolsError(message: "no screenshot")
        }
        return data
    }

    static func quoted(_ text: String) -> String {
        let data = try! JSONSerialization.data(withJSONObject: [text])
        return String(String(decoding: data, as: UTF8.self).dropFirst().dropLast())
    }

    private func next() async throws -> [String: Any] {
        guard let message = try await messages.next() else { throw DevToolsError(message: "the browser closed the connection") }
        guard case .text(let text) = message,
              let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else { return [:] }
        return object
    }
}

struct DevToolsError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
