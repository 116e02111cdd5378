/// What a request wants to do, independent of the URL that asked for it, in a stable text form `verb[:target]`.
///
/// The native API and the Run Registry-compatible routes translate into the same actions, so one
/// permission check covers both. Permission patterns are matched against ``text``:
///
/// ```swift
/// Action(.flagsEdit, "tracker-pixel").text   // "flags.edit:tracker-pixel"
/// Action(.datasetMove, "csc").text            // "dataset.move:csc"
/// Action(.runMove).text                       // "run.move"
/// ```
public struct Action: Sendable, Hashable, CustomStringConvertible {
    /// The kinds of action; the raw value is the text before the colon.
    public enum Verb: String, Sendable, Hashable, CaseIterable {
        /// Any read. Governed by `reads_open`, not by permissions.
        case read
        /// Creating a run (OMS import).
        case runCreate = "run.create"
        /// Moving a run's state (OPEN, SIGNOFF, COMPLETED).
        case runMove = "run.move"
        /// Editing a run's class, stop reason or lumisection count.
        case runEdit = "run.edit"
        /// Marking a run significant, or setting its significance.
        case runSignificance = "run.significance"
        /// Refreshing a run's OMS attributes.
        case runRefresh = "run.refresh"
        /// Creating an offline dataset or recording where it appeared.
        case datasetCreate = "dataset.create"
        /// Moving a dataset's state in a workspace (target: the workspace, or `global`).
        case datasetMove = "dataset.move"
        /// Setting or releasing lumisection flags of an offline dataset (target: the component, `ws-col`).
        case flagsEdit = "flags.edit"
        /// Setting or releasing lumisection flags of a run's online dataset (target: the component, `ws-col`).
        case onlineFlagsEdit = "online.flags.edit"
        /// Editing per-lumisection OMS data: bits, luminosity, prescales.
        case omsEdit = "oms.edit"
        /// Editing a cycle (target: the workspace whose state changes, or `global` for membership and creation).
        case cycleEdit = "cycle.edit"
        /// Generating certification JSON.
        case jsonGenerate = "json.generate"
        /// Editing a configuration set (target: the kind, e.g. `permissions`).
        case configEdit = "config.edit"
        /// Adding a comment to a run, dataset or lumisection range.
        case commentAdd = "comment.add"

        /// Whether the verb changes state (everything but ``read``).
        public var isWrite: Bool { self != .read }
    }

    /// What kind of action this is.
    public let verb: Verb
    /// What it applies to: a workspace, component or configuration kind; `nil` when the verb needs none.
    public let target: String?

    /// Creates an action.
    public init(_ verb: Verb, _ target: String? = nil) {
        self.verb = verb
        self.target = target
    }

    /// The read action.
    public static let read = Action(.read)

    /// The stable text form, `verb` or `verb:target`, that permission patterns match.
    public var text: String {
        guard let target else { return verb.rawValue }
        return "\(verb.rawValue):\(target)"
    }

    /// The text form.
    public var description: String { text }
}
