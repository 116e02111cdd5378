/// The slider and version box of a page that can move through history, with links to the entity's
/// previous and next change.
struct VersionPicker {
    /// A hidden field the picker's form carries along (e.g. the dataset name).
    struct Hidden {
        var name: String
        var value: String
    }

    var action: String
    var hidden: [Hidden]
    var min: UInt64
    var max: UInt64
    var value: UInt64
    var previous: String?
    var next: String?
    var now: String

    /// A picker for the page at `path` whose entity changed at the log sequences `changes`.
    init(path: String, hidden: [(String, String)], changes: [UInt64], r: UIRequest) {
        action = path
        self.hidden = hidden.map { Hidden(name: $0.0, value: $0.1) }
        let sorted = changes.sorted()
        min = sorted.first ?? 1
        max = r.latest
        value = r.version
        let parameters = hidden.map { ($0.0, Optional($0.1)) }
        func link(_ version: UInt64) -> String { HTML.url(path, parameters + [("as_of", String(version))]) }
        // The change in effect at this version, and the one before it.
        let effective = sorted.last { $0 <= r.version }
        previous = effective.flatMap { e in sorted.last { $0 < e } }.map(link)
        next = sorted.first { $0 > r.version }.map(link)
        now = HTML.url(path, parameters)
    }
}
