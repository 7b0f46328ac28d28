import DSARCommandLine

/// The `dsar` executable: the commands of DSARCommandLine with the system clock.
@main
enum DSARMain {
    static func main() async {
        await CommandContext().run()
    }
}
