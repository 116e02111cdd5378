import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// An element of a parsed SVG document, for checking rendered charts.
struct SVGNode {
    /// The element name, e.g. "text".
    var name: String
    /// The attributes, with entities decoded.
    var attributes: [String: String]
    /// The element's own character data, with entities decoded.
    var text = ""
    /// The child elements in document order.
    var children: [SVGNode] = []

    /// This element and all its descendants, in document order.
    var allNodes: [SVGNode] {
        [self] + children.flatMap(\.allNodes)
    }

    /// The descendants (and self) named `name`.
    func all(_ name: String) -> [SVGNode] {
        allNodes.filter { $0.name == name }
    }

    /// The descendants (and self) that have attribute `attribute`.
    func all(having attribute: String) -> [SVGNode] {
        allNodes.filter { $0.attributes[attribute] != nil }
    }

    /// The text of this element and its descendants.
    var fullText: String {
        text + children.map(\.fullText).joined()
    }
}

/// The corners a step path visits, from its `d` attribute of `M x y`, `H x` and `V y` commands.
func stepVertices(_ path: String) -> [(x: Double, y: Double)] {
    var vertices: [(x: Double, y: Double)] = []
    var command: Character = "M"
    var number = ""
    var pendingMove: Double?
    func finish() {
        guard let value = Double(number) else { return }
        number = ""
        switch command {
        case "M":
            if let x = pendingMove { vertices.append((x, value)); pendingMove = nil } else { pendingMove = value }
        case "H": vertices.append((value, vertices[vertices.count - 1].y))
        default: vertices.append((vertices[vertices.count - 1].x, value))
        }
    }
    for character in path {
        if "MHV".contains(character) {
            finish()
            command = character
        } else if character == " " {
            finish()
        } else {
            number.append(character)
        }
    }
    finish()
    return vertices
}

/// Why a document did not parse.
struct SVGParseError: Error, CustomStringConvertible {
    let description: String
}

/// Parses `markup` with Foundation's `XMLParser`, which rejects any document that is not well-formed XML.
func parseSVG(_ markup: String) throws -> SVGNode {
    let parser = XMLParser(data: Data(markup.utf8))
    let builder = TreeBuilder()
    parser.delegate = builder
    guard parser.parse(), let root = builder.root else {
        throw SVGParseError(
            description: "not well-formed at line \(parser.lineNumber): \(String(describing: parser.parserError))")
    }
    return root
}

/// Builds an ``SVGNode`` tree from parser callbacks.
private final class TreeBuilder: NSObject, XMLParserDelegate {
    var stack: [SVGNode] = []
    var root: SVGNode?

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        stack.append(SVGNode(name: elementName, attributes: attributes))
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if !stack.isEmpty { stack[stack.count - 1].text += string }
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        let node = stack.removeLast()
        if stack.isEmpty { root = node } else { stack[stack.count - 1].children.append(node) }
    }
}

/// Seconds since the epoch of a UTC date and time, computed with Foundation's Gregorian calendar.
func utc(_ year: Int, _ month: Int, _ day: Int, _ hour: Int = 0, _ minute: Int = 0, _ second: Int = 0) -> Double {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    let components = DateComponents(
        year: year, month: month, day: day, hour: hour, minute: minute, second: second)
    return calendar.date(from: components)!.timeIntervalSince1970
}

/// Formats a time with a `DateFormatter` pattern in UTC and the POSIX locale (an oracle for tick labels).
func formatUTC(_ time: Double, _ pattern: String) -> String {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "UTC")
    formatter.dateFormat = pattern
    return formatter.string(from: Date(timeIntervalSince1970: time))
}

/// A small deterministic pseudo-random generator (64-bit LCG) for reproducible synthetic data.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return state ^ (state >> 29)
    }
}
