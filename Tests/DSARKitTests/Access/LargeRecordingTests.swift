import CallCenterExample
import DSARKit
import Foundation
import GRDB
import Testing

/// The one large test: a 2.5 GiB recording (a sparse file) is copied in chunks, never held in memory.
@Suite("A multi-GiB recording")
struct LargeRecordingTests {
    static let size: Int64 = 5 << 29 // 2.5 GiB

    @Test("is packaged in a stored zip entry of the right size, verifies, and memory stays far below its size")
    func largeRecording() async throws {
        let folder = try ExampleData.temporaryFolder("large-recording")
        defer { try? FileManager.default.removeItem(at: folder) }
        let dataSet = try CallCenterDataSet.generate(into: folder.appendingPathComponent("example"))
        let path = try await DatabaseQueue(path: dataSet.databaseURL.path).read { db in
            try String.fetchOne(db, sql: "SELECT path FROM recordings WHERE id = 1")!
        }
        let recording = dataSet.recordingsURL.appendingPathComponent(path)
        let handle = try FileHandle(forWritingTo: recording)
        try handle.truncate(atOffset: UInt64(Self.size)) // sparse: no disk used for the hole
        try handle.close()

        let fixture = try AccessFixture(dataSet)
        let (url, summary) = try await fixture.write(AccessPackageTests.amel, AccessFixture.options(.zip))
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) } // 2.5 GiB: never leave it behind
        #expect(summary.size > Self.size)
        let report = try PackageVerifier.verify(url)
        #expect(report.isValid, "\(report.mismatches)")
        let entry = try #require(report.manifest?.files.first { $0.path == "files/recordings/" + path })
        #expect(entry.size == Self.size)

        // A tool that is not ours reads the size from the zip's central directory.
        let listing = try ExternalTool.run(["7z", "l", "-slt", url.path])
        try #require(listing.status == 0, "\(listing.stderr)")
        let block = listing.stdout.components(separatedBy: "\n\n").first { $0.contains("Path = files/recordings/" + path) }
        #expect(block?.contains("Size = \(Self.size)") == true, "\(block ?? listing.stdout.suffix(800).description)")
        #expect(block?.contains("Method = Store") == true, "recordings are stored, not deflated")

        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let peakBytes = Int64(usage.ru_maxrss) * 1024
        #expect(peakBytes < 512 << 20, "peak memory \(peakBytes >> 20) MiB while copying a \(Self.size >> 20) MiB file")
    }
}
