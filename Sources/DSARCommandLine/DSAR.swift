import ArgumentParser
import DSARKit
import Foundation

struct DSAR: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dsar",
        abstract: "Answer GDPR data-subject requests: find, package and erase a person's data.",
        discussion: """
        dsar reads a catalog (a YAML data map, ./dsar.yaml by default) that says where personal \
        data lives and how records link to a person. Start with `dsar check`, then \
        `dsar discover --subject email:name@example.com`.
        """,
        version: DSARKit.version,

        subcommands: [Check.self, Discover.self, Access.self, Verify.self, Erase.self, Worker.self, Keys.self, Certificate.self, Audit.self,
                      Request.self, Replay.self, CatalogGroup.self, ServeTokens.self]
    )

    static func main() async {
        // libarchive and file names need a UTF-8 locale; set it once before any thread starts.
        setlocale(LC_CTYPE, "C.UTF-8")
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: Failure.presentable(error))
        }
    }
}
