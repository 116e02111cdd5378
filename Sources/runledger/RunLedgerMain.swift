import Dispatch
import NIOCore
import NIOPosix
import RunLedgerCommands

/// The `runledger` executable: hands the command line to ``RunLedgerCommand``.
///
/// For the server (`serve`, `bench api`) Swift concurrency runs on NIO's event loops, so a request
/// handler and its connection's I/O share a thread instead of hopping between two pools.
@main
enum RunLedgerMain {
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        let serves = arguments.first == "serve" || (arguments.first == "bench" && arguments.dropFirst().first == "api")
        if serves { NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor() }
        Task { await RunLedgerCommand.runMain() }
        dispatchMain()
    }
}
