/// The identity of a dataset: its run number and its name (`online` or an offline name).
public struct DatasetKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The name of every run's online dataset.
    public static let onlineName = "online"

    /// The run number.
    public let run: Int
    /// The dataset name, e.g. `online` or `/PromptReco/Collisions2024A/DQM`.
    public let name: String

    /// Creates a key.
    public init(run: Int, name: String) {
        self.run = run
        self.name = name
    }

    /// The online dataset of `run`.
    public static func online(run: Int) -> DatasetKey { DatasetKey(run: run, name: onlineName) }

    /// Whether this is a run's online dataset.
    public var isOnline: Bool { name == Self.onlineName }

    /// The stream of this dataset.
    public var stream: StreamName { .dataset(run: run, name: name) }

    public static func < (a: DatasetKey, b: DatasetKey) -> Bool {
        a.run != b.run ? a.run < b.run : a.name.utf8.lexicographicallyPrecedes(b.name.utf8)
    }

    /// `run 355100 dataset /PromptReco/Collisions2022C/DQM`.
    public var description: String { "run \(run) dataset \(name)" }
}
