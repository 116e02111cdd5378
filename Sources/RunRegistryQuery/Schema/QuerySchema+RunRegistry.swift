extension QuerySchema {
    /// The schema of `POST /runs_filtered_ordered`: run columns, `oms_attributes`, `rr_attributes`, triplets.
    ///
    /// The attribute lists are the runregistry client's (`run_oms_attributes`, `run_rr_attributes`);
    /// the default order is `run_number DESC`.
    /// - Parameter components: the triplet components of the online dataset, e.g. `dt-dt`.
    public static func runs(components: some Sequence<String>) -> QuerySchema {
        QuerySchema(
            columns: ["run_number": .number, "deleted": .boolean, "version": .number],
            jsonColumns: ["oms_attributes": .only(runOMSAttributes), "rr_attributes": .only(runRRAttributes)],
            components: components,
            defaultSorting: [SortTerm(key: "run_number", direction: .descending)]
        )
    }

    /// The schema of `POST /datasets_filtered_ordered`: dataset columns and attributes, the run's attributes, triplets.
    ///
    /// The default order is `run_number DESC, name ASC`.
    /// - Parameter components: the triplet components of the datasets, e.g. `dt-dt`, `tracker-track`.
    public static func datasets(components: some Sequence<String>) -> QuerySchema {
        QuerySchema(
            columns: [
                "run_number": .number, "name": .text, "deleted": .boolean, "version": .number,
                "datasets_in_gui": .textArray,
            ],
            jsonColumns: [
                "dataset_attributes": .only(datasetAttributes), "oms_attributes": .only(runOMSAttributes),
                "rr_attributes": .only(runRRAttributes),
            ],
            components: components,
            defaultSorting: [
                SortTerm(key: "run_number", direction: .descending), SortTerm(key: "name", direction: .ascending),
            ]
        )
    }

    /// The run attributes owned by the Run Registry (client `run_rr_attributes`).
    public static let runRRAttributes: Set<String> = [
        "class", "state", "significant", "stop_reason", "short_run", "run_needs_to_be_updated_manually",
    ]

    /// The OMS run attributes the client knows (`run_oms_attributes`), including the `*_included` flags.
    public static let runOMSAttributes: Set<String> = {
        let plain: [String] = [
            "energy", "l1_key", "b_field", "hlt_key", "l1_menu", "l1_rate", "end_time", "sequence", "duration",
            "end_lumi", "init_lumi", "clock_type", "components", "run_number", "start_time", "fill_number",
            "l1_hlt_mode", "last_update", "ls_duration", "stable_beam", "trigger_mode", "recorded_lumi",
            "cmssw_version", "delivered_lumi", "tier0_transfer", "l1_key_stripped", "hlt_physics_size",
            "fill_type_party2", "fill_type_party1", "injection_scheme", "hlt_physics_rate", "fill_type_runtime",
            "l1_triggers_counter", "hlt_physics_counter", "l1_hlt_mode_stripped", "initial_prescale_index",
            "hlt_physics_throughput", "beams_present_and_stable",
        ]
        let included: [String] = [
            "hf", "dt", "es", "csc", "cow", "daq", "dcs", "dqm", "gem", "ltc", "rpc", "trg", "hcal", "scal", "efed",
            "ecal", "lumi", "tcds", "totem", "pixel", "ctpps", "hflumi", "castor", "tracker", "dt_efed", "rpc_efed",
            "trg_efed", "pixel_up", "csc_efed", "ctpps_tot", "ecal_efed", "hcal_efed", "tracker_efed",
        ]
        return Set(plain + included.map { "\($0)_included" })
    }()

    /// The dataset attributes the client knows (`dataset_attributes`), plus `gem_state` from the FAQ.
    public static let datasetAttributes: Set<String> = [
        "appeared_in", "global_state", "dt_state", "cms_state", "csc_state", "hlt_state", "l1t_state", "rpc_state",
        "tau_state", "btag_state", "ecal_state", "hcal_state", "lumi_state", "muon_state", "ctpps_state",
        "castor_state", "egamma_state", "jetmet_state", "tracker_state", "gem_state",
    ]
}
