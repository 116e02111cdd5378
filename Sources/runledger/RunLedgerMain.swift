import ArgumentParser
import RunLedgerCommands

/// The `runledger` executable: hands the command line to ``RunLedgerCommand``.
@main
enum RunLedgerMain {
    static func main() async {
        await RunLedgerCommand.runMain()
    }
}
