public import Rules

/// A ``QueryDocument`` over one row shaped like the list routes' JSON (a run or a dataset with its includes).
///
/// ```swift
/// let run = try JSONValue.parse(#"{"run_number": 327743, "oms_attributes": {...},"#
///     + #" "DatasetTripletCache": {"triplet_summary": {"dt-dt": {"GOOD": 1191}}}}"#)
/// let document = JSONDocument(run.objectValue ?? [:], layout: .runs)
/// ```
///
/// The JSON columns and the triplet summary are located once, in `init`, so evaluation only does
/// dictionary lookups.
public struct JSONDocument: QueryDocument, Sendable {
    /// Where a row keeps its JSON columns and its triplet summary.
    public struct Layout: Sendable, Hashable {
        /// JSON column name → path of object keys from the row to it.
        public var jsonColumns: [String: [String]]
        /// Path of object keys from the row to the `triplet_summary` object.
        public var tripletSummary: [String]

        /// Creates a layout.
        public init(jsonColumns: [String: [String]], tripletSummary: [String]) {
            self.jsonColumns = jsonColumns
            self.tripletSummary = tripletSummary
        }

        /// A run as `runs_filtered_ordered` returns it: attributes at the top, the cache under `DatasetTripletCache`.
        public static let runs = Layout(
            jsonColumns: ["oms_attributes": ["oms_attributes"], "rr_attributes": ["rr_attributes"]],
            tripletSummary: ["DatasetTripletCache", "triplet_summary"]
        )

        /// A dataset as `datasets_filtered_ordered` returns it: run attributes under `Run`.
        public static let datasets = Layout(
            jsonColumns: [
                "dataset_attributes": ["dataset_attributes"], "rr_attributes": ["Run", "rr_attributes"],
                "oms_attributes": ["Run", "oms_attributes"],
            ],
            tripletSummary: ["DatasetTripletCache", "triplet_summary"]
        )
    }

    /// The row itself.
    public let row: JSONObject
    private let roots: [String: JSONValue]
    private let summary: JSONObject?

    /// Wraps a row, locating its JSON columns and triplet summary with `layout`.
    public init(_ row: JSONObject, layout: Layout) {
        self.row = row
        let value = JSONValue.object(row)
        var roots: [String: JSONValue] = [:]
        for (name, path) in layout.jsonColumns {
            if let root = value.value(atPath: path) { roots[name] = root }
        }
        self.roots = roots
        self.summary = value.value(atPath: layout.tripletSummary)?.objectValue
    }

    /// The row member named `column`.
    public func value(column: String) -> JSONValue? {
        row[column]
    }

    /// The value at `path` inside the located JSON column `root`.
    public func value(path: [String], in root: String) -> JSONValue? {
        roots[root]?.value(atPath: path)
    }

    /// The integral counter `triplet_summary[component][status]`, or nil.
    public func tripletCount(component: String, status: TripletStatus) -> Int? {
        guard let count = summary?[component]?[status.rawValue]?.numberValue else { return nil }
        return Int(exactly: count.rounded(.towardZero))
    }
}
