/// What a comment is attached to: a run, a dataset, or lumisections of a dataset (optionally one component).
public enum CommentTarget: Sendable, Hashable {
    /// A run; the comment goes to the run's stream.
    case run(Int)
    /// A dataset; the comment goes to the dataset's stream.
    case dataset(DatasetKey)
    /// A lumisection range of a dataset, optionally of one component; the comment goes to the dataset's stream.
    case lumisections(DatasetKey, LumisectionRange, component: String?)

    /// The run the comment is about.
    public var run: Int {
        switch self {
        case .run(let n): return n
        case .dataset(let k), .lumisections(let k, _, _): return k.run
        }
    }
}
