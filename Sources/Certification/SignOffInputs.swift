/// What a run sign-off decision reads besides the run: datasets-accepted rules, the catalogue, the online flags and the run's existing datasets.
public struct SignOffInputs: Sendable, Hashable {
    /// The current datasets-accepted rules (all of them; the decision filters them).
    public var acceptedRules: [DatasetsAcceptedRule]
    /// The component catalogue: certifiable online components and offline workspaces.
    public var catalogue: ComponentCatalogue
    /// The flags of the run's online dataset.
    public var onlineFlags: FlagLayers
    /// Names of the run's datasets that exist already; they are not created again.
    public var existingDatasets: Set<String>

    /// Creates sign-off inputs.
    public init(
        acceptedRules: [DatasetsAcceptedRule], catalogue: ComponentCatalogue = .cmsDefault, onlineFlags: FlagLayers,
        existingDatasets: Set<String> = []
    ) {
        self.acceptedRules = acceptedRules
        self.catalogue = catalogue
        self.onlineFlags = onlineFlags
        self.existingDatasets = existingDatasets
    }
}
