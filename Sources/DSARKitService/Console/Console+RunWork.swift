import DSARKit
import Foundation

extension Console {
    /// Writes the request's package through ``RequestRun`` (audited under the officer's name)
    /// and puts it behind a single-use link.
    func package(_ id: String, officer: String, language: PackageLanguage, progress: RunProgress) async throws -> RunOutcome {
        progress.report("discovering", done: 0, total: 0)
        let runner = RequestRun(catalog: catalog, stores: try configuration.openStores(false), book: book, officer: officer, logger: logger)
        let folder = configuration.packagesFolder
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let file = folder.appendingPathComponent("\(UUID().uuidString.lowercased()).zip")
        let passphrase = Passphrase.generate()
        let summary: PackageSummary
        do {
            summary = try await runner.access(id, to: file, options: AccessPackageOptions(
                format: .zip, encryption: .passphrase(passphrase), language: language, requestID: id, generatedAt: book.now(),
                progress: { progress.report("packaging", done: $0.bytesDone, total: $0.bytesTotal) }))
        } catch {
            try? FileManager.default.removeItem(at: file)
            throw error
        }
        let token = await downloads.issue(file, name: "\(id).zip", requestID: id)
        logger.info("console: package written", metadata: ["request": "\(id)", "officer": "\(officer)"])
        return .package(summary, download: token, passphrase: passphrase)
    }

    /// Runs the approved erasure through ``RequestRun`` (audited under the officer's name); a run
    /// of the request a server stop interrupted is resumed first.
    func erase(_ id: String, officer: String, progress: RunProgress) async throws -> RunOutcome {
        progress.report("planning", done: 0, total: 0)
        var runner = RequestRun(catalog: catalog, stores: try configuration.openStores(true), book: book, officer: officer, logger: logger)
        runner.onStep = { progress.report("erasing", done: Int64($0), total: Int64($1)) }
        let outcome = try await runner.erase(id)
        logger.info("console: erasure ran", metadata: ["request": "\(id)", "officer": "\(officer)", "complete": "\(outcome.isComplete)"])
        return .erasure(outcome)
    }
}
