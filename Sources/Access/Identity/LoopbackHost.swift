/// Whether a bind host or peer names the local machine only.
public enum LoopbackHost {
    /// Whether `host` is `localhost` or a loopback literal (127.0.0.0/8, `::1`, bracketed or not).
    public static func isLoopback(_ host: String) -> Bool {
        if host.lowercased() == "localhost" { return true }
        return IPAddress(host)?.isLoopback ?? false
    }
}
