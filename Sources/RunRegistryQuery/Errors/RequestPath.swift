/// A location inside a list-query request body, printed like `filter.and[0]["oms_attributes.hlt_key"].like`.
///
/// Keys that are plain identifiers print as `.key`; any other key (dotted JSON paths, `dt-dt`,
/// operators such as `<>`) prints as `["key"]` so the location stays unambiguous.
public struct RequestPath: Sendable, Hashable, CustomStringConvertible {
    private enum Step: Sendable, Hashable {
        case key(String)
        case index(Int)
    }

    private let root: String
    private let steps: [Step]

    /// A path at the top of the request member `root`, e.g. `filter` or `sortings`.
    public init(_ root: String) {
        self.root = root
        self.steps = []
    }

    private init(root: String, steps: [Step]) {
        self.root = root
        self.steps = steps
    }

    /// This path extended by an object member.
    public func appending(key: String) -> RequestPath {
        RequestPath(root: root, steps: steps + [.key(key)])
    }

    /// This path extended by an array element.
    public func appending(index: Int) -> RequestPath {
        RequestPath(root: root, steps: steps + [.index(index)])
    }

    /// The printed location, e.g. `filter.and[0]["oms_attributes.hlt_key"]`.
    public var description: String {
        var text = root
        for step in steps {
            switch step {
            case .index(let i):
                text += "[\(i)]"
            case .key(let k) where Self.isIdentifier(k):
                text += "." + k
            case .key(let k):
                text += "[" + JSONEscaping.quoted(k) + "]"
            }
        }
        return text
    }

    private static func isIdentifier(_ key: String) -> Bool {
        guard let first = key.unicodeScalars.first, !("0"..."9").contains(first) else { return false }
        return key.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_"
        }
    }
}
