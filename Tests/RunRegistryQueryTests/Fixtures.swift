import Rules
import RunRegistryQuery

/// Shared schemas and rows for the query tests.
enum Fixtures {
    static let runComponents = ["dt-dt", "tracker-pixel", "tracker-strip", "ecal-ecal", "csc-csc"]

    static let runSchema = QuerySchema.runs(components: runComponents)
    static let datasetSchema = QuerySchema.datasets(components: runComponents)

    /// A run row shaped like `runs_filtered_ordered` returns it.
    static func run(
        _ number: Int, oms: JSONObject = [:], rr: JSONObject = [:], triplets: JSONObject? = [:], deleted: Bool = false
    ) -> JSONDocument {
        var row: JSONObject = [
            "run_number": .number(Double(number)), "oms_attributes": .object(oms), "rr_attributes": .object(rr),
            "deleted": .bool(deleted),
        ]
        if let triplets { row["DatasetTripletCache"] = ["triplet_summary": .object(triplets)] }
        return JSONDocument(row, layout: .runs)
    }

    /// A dataset row shaped like `datasets_filtered_ordered` returns it.
    static func dataset(
        _ number: Int, _ name: String, attributes: JSONObject = [:], rr: JSONObject = [:], triplets: JSONObject = [:],
        inGUI: [String] = []
    ) -> JSONDocument {
        let row: JSONObject = [
            "run_number": .number(Double(number)), "name": .string(name), "dataset_attributes": .object(attributes),
            "datasets_in_gui": .array(inGUI.map(JSONValue.string)), "deleted": false,
            "Run": ["rr_attributes": .object(rr), "oms_attributes": [:]],
            "DatasetTripletCache": ["triplet_summary": .object(triplets)],
        ]
        return JSONDocument(row, layout: .datasets)
    }

    /// Five runs with distinct hlt keys, classes, fields and triplet summaries.
    static let runs: [JSONDocument] = [
        run(
            309500,
            oms: [
                "hlt_key": "/cdaq/physics/Commissioning2018/v1.0", "b_field": 3.8, "energy": 6500, "ls_duration": 120,
            ],
            rr: ["class": "Collisions18", "state": "OPEN", "significant": true],
            triplets: ["dt-dt": ["GOOD": 100, "EMPTY": 0], "tracker-strip": ["GOOD": 50, "BAD": 2, "EMPTY": 0]]),
        run(
            309700, oms: ["hlt_key": "/cdaq/cosmic/commissioning2018/v3", "b_field": 0.02, "energy": "6500"],
            rr: ["class": "Cosmics18", "state": "SIGNOFF", "significant": false],
            triplets: ["dt-dt": ["BAD": 10, "EMPTY": 0]]),
        run(
            310500, oms: ["hlt_key": "/cdaq/physics/Run2018/v2", "energy": 6500],
            rr: ["class": "Collisions18", "state": "COMPLETED", "significant": "true"],
            triplets: ["dt-dt": ["GOOD": 5, "EMPTY": 3]]),
        run(
            323434, oms: ["hlt_key": .null, "b_field": 3.0],
            rr: ["class": "", "state": "OPEN"],
            triplets: ["dt-dt": ["GOOD": 1, "EMPTY": 0], "tracker-pixel": ["GOOD": 7, "EMPTY": 0]]),
        run(
            327743, oms: ["hlt_key": "/cdaq/special/HI2018/v1", "b_field": 3.8, "components": ["DAQ", "DT"]],
            rr: ["class": "Collisions18", "state": "OPEN", "significant": true],
            triplets: ["dt-dt": ["GOOD": 1191, "EMPTY": 0], "ecal-ecal": ["EXCLUDED": 4, "EMPTY": 0]]),
    ]

    /// Five datasets over three runs.
    static let datasets: [JSONDocument] = [
        dataset(327743, "online", attributes: ["global_state": "OPEN"], rr: ["class": "Collisions18"]),
        dataset(
            327743, "/PromptReco/HICosmics18A/DQM", attributes: ["global_state": "COMPLETED"],
            rr: ["class": "Collisions18"], triplets: ["ecal-ecal": ["EXCLUDED": 3, "EMPTY": 0]],
            inGUI: ["/Cosmics/HIRun2018A-PromptReco-v1/DQMIO"]),
        dataset(
            309600, "/PromptReco/Cosmics18CRUZET/DQM", attributes: ["global_state": "COMPLETED"],
            rr: ["class": "Cosmics18CRUZET"], triplets: ["ecal-ecal": ["EXCLUDED": 4, "EMPTY": 0]],
            inGUI: ["/Cosmics/Run2018A-PromptReco-v1/DQMIO", "/Cosmics/Run2018A-PromptReco-v2/DQMIO"]),
        dataset(
            309600, "/Express/Cosmics18CRUZET/DQM", attributes: ["global_state": "waiting dqm gui"],
            rr: ["class": "Cosmics18CRUZET"], triplets: ["ecal-ecal": ["GOOD": 9, "EMPTY": 0]]),
        dataset(309650, "online", attributes: ["global_state": "SIGNOFF"], rr: ["class": "Cosmics18CRUZET"]),
    ]

    /// Parses JSON text written in a test.
    static func json(_ text: String) throws -> JSONValue {
        try JSONValue.parse(text)
    }

    /// The run numbers of the rows `filter` selects, in input order.
    static func selectedRuns(_ filter: String, schema: QuerySchema = runSchema, rows: [JSONDocument] = runs) throws
        -> [Int]
    {
        let parsed = try QueryFilter(json(filter), schema: schema)
        return rows.filter { parsed.matches($0) }.map(runNumber)
    }

    /// The `(run_number, name)` of the datasets `filter` selects, in input order.
    static func selectedDatasets(_ filter: String) throws -> [String] {
        let parsed = try QueryFilter(json(filter), schema: datasetSchema)
        return datasets.filter { parsed.matches($0) }.map(datasetLabel)
    }

    /// The error a filter raises, or nil when it parses.
    static func filterError(_ filter: String, schema: QuerySchema = runSchema) throws -> QueryError? {
        let value = try json(filter)
        do {
            _ = try QueryFilter(value, schema: schema)
            return nil
        } catch {
            return error
        }
    }

    static func runNumber(_ document: JSONDocument) -> Int {
        Int(document.row["run_number"]?.numberValue ?? -1)
    }

    static func datasetLabel(_ document: JSONDocument) -> String {
        "\(runNumber(document)) \(document.row["name"]?.stringValue ?? "?")"
    }
}
