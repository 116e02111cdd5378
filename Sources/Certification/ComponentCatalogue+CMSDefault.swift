extension ComponentCatalogue {
    /// The CMS default catalogue, from the Run Registry's configuration.
    ///
    /// - Certifiable online: the backend's `certifiable_online_components` (16 columns; `gem` is only in
    ///   the frontend, so it is left out and sign-off does not require it).
    /// - Certifiable offline: the backend's `certifiable_offline_components`.
    /// - Offline workspaces: the frontend's `offline_column_structure`, plus `cms:[cms]` and `gem:[gem]`,
    ///   which the client's dataset attributes list as workspaces with a state.
    public static let cmsDefault = ComponentCatalogue(
        onlineCertifiable: [
            "castor": ["castor"], "cms": ["cms"], "csc": ["csc"], "ctpps": ["ctpps"], "dt": ["dt"],
            "ecal": ["ecal", "es"], "hcal": ["hcal"], "hlt": ["hlt"], "l1t": ["l1t", "l1tcalo", "l1tmu"],
            "lumi": ["lumi"], "rpc": ["rpc"], "tracker": ["pixel", "strip"],
        ],
        offlineCertifiable: [
            "btag": ["btag"], "castor": ["castor"], "cms": ["cms"], "csc": ["csc"], "ctpps": ["ctpps"],
            "dc": ["lowlumi"], "dt": ["dt"], "ecal": ["ecal", "es"], "egamma": ["egamma"], "hcal": ["hcal"],
            "hlt": ["hlt"], "jetmet": ["jetmet"], "l1t": ["l1t", "l1tmu", "l1tcalo"], "lumi": ["lumi"],
            "muon": ["muon"], "rpc": ["rpc"], "tau": ["tau"], "tracker": ["track", "pixel", "strip"],
        ],
        offlineWorkspaces: [
            "btag": ["btag"],
            "castor": ["castor"],
            "cms": ["cms"],
            "csc": [
                "csc", "occupancy", "integrity", "strips", "timing", "efficiency", "gasgains", "pedestals",
                "resolution", "segments", "tf", "triggergpe",
            ],
            "ctpps": [
                "ctpps", "rp45_210", "rp45_220", "rp45_cyl", "rp56_210", "rp56_220", "rp56_cyl", "trk45_210",
                "time45", "trk56_220", "time56", "time_global",
            ],
            "dt": ["dt"],
            "ecal": [
                "ecal", "ebp", "ebm", "eep", "eem", "es", "esp", "esm", "analysis", "collisions", "laser", "tpg",
                "noise", "preshower", "timing",
            ],
            "egamma": ["egamma"],
            "gem": ["gem"],
            "hcal": ["hb", "he", "hf", "ho0", "ho12"],
            "hlt": ["muons", "electrons", "photons", "jetmet", "tau", "bjets", "technical"],
            "jetmet": ["jetmet"],
            "l1t": ["l1tmu", "l1tcalo", "software"],
            "lumi": ["lumi"],
            "muon": ["muon"],
            "rpc": ["rpc", "hv", "lv", "feb", "noise", "elog"],
            "tau": ["tau"],
            "tracker": ["track", "pixel", "strip"],
        ]
    )
}
