import DSARKit
import DSARKitS3
import Foundation
import Logging
import Testing

/// The catalog form of an s3 store: what it needs, and credentials only from the environment.
@Suite("S3 store catalog settings")
struct S3StoreConfigurationTests {
    let environment = ["REC_KEY": "AKIDEXAMPLE", "REC_SECRET": "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"]

    func declaration(_ settings: [String: String]) -> StoreDeclaration {
        var all = ["endpoint": "https://s3.eu-west-3.amazonaws.com", "bucket": "recordings", "prefix": "calls/",
                   "region": "eu-west-3", "accessKeyEnv": "REC_KEY", "secretKeyEnv": "REC_SECRET", "pathStyle": "false"]
        for (key, value) in settings { all[key] = value.isEmpty ? nil : value }
        return StoreDeclaration(name: "recordings", type: "s3", settings: all, location: SourceLocation(line: 7, column: 3))
    }

    func error(_ settings: [String: String], environment: [String: String]? = nil) -> DSARError? {
        do {
            _ = try S3StoreConfiguration(declaration: declaration(settings), environment: environment ?? self.environment)
            return nil
        } catch {
            return error as? DSARError
        }
    }

    @Test("A complete declaration reads every setting, credentials from the environment")
    func complete() throws {
        let configuration = try S3StoreConfiguration(declaration: declaration([:]), environment: environment)
        #expect(configuration.endpoint.absoluteString == "https://s3.eu-west-3.amazonaws.com")
        #expect(configuration.bucket == "recordings")
        #expect(configuration.prefix == "calls/")
        #expect(configuration.region == "eu-west-3")
        #expect(configuration.pathStyle == false)
        #expect(configuration.accessKey == "AKIDEXAMPLE")
    }

    @Test("Missing or wrong settings are errors naming the store and its line", arguments: [
        ["endpoint": ""], ["endpoint": "ftp://example.com"], ["bucket": ""], ["bucket": "a/b"], ["accessKeyEnv": ""],
        ["secretKeyEnv": ""], ["pathStyle": "maybe"], ["prefix": "/calls/"], ["prefix": "calls/../other/"],
        ["listingLifetime": "soon"], ["listPageSize": "0"], ["listPageSize": "5000"],
    ])
    func invalid(_ settings: [String: String]) throws {
        let error = try #require(self.error(settings))
        #expect(error.code == .invalidCatalog)
        #expect(error.location == "stores.recordings (line 7)")
        #expect(error.message.contains("'recordings'"))
    }

    @Test("caFile is read relative to the catalog's folder; a missing file, a file without a PEM certificate and an http endpoint are errors naming the store")
    func caFile() throws {
        let ca = try TestCertificateAuthority.make()
        defer { ca.remove() }
        try Data("not a certificate\n".utf8).write(to: ca.folder.appendingPathComponent("notes.txt"))
        func configuration(_ settings: [String: String]) throws -> S3StoreConfiguration {
            try S3StoreConfiguration(declaration: declaration(settings), environment: environment, baseDirectory: ca.folder)
        }
        #expect(try configuration(["caFile": "ca.pem"]).caFile?.path == ca.caFile.path)
        #expect(try configuration(["caFile": ca.caFile.path]).caFile?.path == ca.caFile.path)
        #expect(try configuration([:]).caFile == nil)
        let problems = [
            (["caFile": "missing.pem"], "caFile 'missing.pem', which does not exist"),
            (["caFile": "notes.txt"], "caFile 'notes.txt', which"),
            (["caFile": "ca.pem", "endpoint": "http://127.0.0.1:9000"], "a CA file only applies to https"),
        ]
        for (settings, expected) in problems {
            let error = #expect(throws: DSARError.self) { try configuration(settings) }
            #expect(error?.code == .invalidCatalog)
            #expect(error?.location == "stores.recordings (line 7)")
            #expect(error?.message.contains("s3 store 'recordings' has") == true, "\(error.map { "\($0)" } ?? "")")
            #expect(error?.message.contains(expected) == true, "\(error.map { "\($0)" } ?? "")")
        }
    }

    @Test("Credentials in the catalog or in the endpoint are refused, and never repeated")
    func credentialsInCatalog() throws {
        for settings in [["secretKey": "s3cr3t-value"], ["accessKey": "s3cr3t-value"], ["endpoint": "https://AKID:s3cr3t-value@s3.example.com"]] {
            let error = try #require(self.error(settings))
            #expect(error.code == .invalidCatalog)
            #expect(!error.description.contains("s3cr3t-value"))
        }
    }

    @Test("An unset credentials variable is an error naming the variable and the store")
    func unsetVariable() throws {
        let error = try #require(self.error([:], environment: ["REC_KEY": "AKIDEXAMPLE"]))
        #expect(error.code == .storeUnavailable)
        #expect(error.message.contains("REC_SECRET"))
        #expect(error.message.contains("'recordings'"))
    }

    @Test("A pattern collection in an s3 store is valid; a table in one is not")
    func validation() {
        let store = declaration([:])
        let voicemails = DataCollection(name: "voicemails", store: "recordings", pattern: try! FilePattern("voicemail/{phone}_{at}.wav"),
                                        identifiers: [IdentifierColumn(column: "phone", type: "phone")])
        let catalog = Catalog(controller: Controller(name: "Example", contact: "dpo@example.com"),
                              identifiers: [IdentifierType(name: "phone", kind: .phone, regions: ["FR"])],
                              stores: [store], collections: [voicemails])
        let errors = catalog.validate().filter { $0.severity == .error }
        #expect(errors.isEmpty, "\(errors)")
        var table = voicemails
        table.pattern = nil
        table.table = "voicemails"
        let tableErrors = Catalog(controller: catalog.controller, identifiers: catalog.identifiers, stores: [store], collections: [table])
            .validate().filter { $0.severity == .error }
        #expect(!tableErrors.isEmpty)
    }
}
