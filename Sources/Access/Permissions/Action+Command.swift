public import Certification

extension Action {
    /// The action a certification command needs, so that every write route checks the same thing.
    ///
    /// ```swift
    /// Action(for: .dataset(key, .setFlags(component: "tracker-pixel", range: r, flag: f)))
    /// // flags.edit:tracker-pixel (offline) or online.flags.edit:tracker-pixel (online dataset)
    /// ```
    public init(for command: CertificationCommand) {
        switch command {
        case .run(_, let runCommand): self = Action(for: runCommand)
        case .dataset(let key, let datasetCommand): self = Action(for: datasetCommand, online: key.isOnline)
        case .cycle(_, let cycleCommand): self = Action(for: cycleCommand)
        case .config(let configCommand): self = Action(.configEdit, configCommand.kind.rawValue)
        }
    }

    /// The action of a run command.
    private init(for command: RunCommand) {
        switch command {
        case .create: self = Action(.runCreate)
        case .setOMSAttributes: self = Action(.runRefresh)
        case .setClass, .setStopReason, .setLumisectionCount: self = Action(.runEdit)
        case .setSignificance, .markSignificant: self = Action(.runSignificance)
        case .moveState: self = Action(.runMove)
        case .addComment: self = Action(.commentAdd)
        }
    }

    /// The action of a dataset command; flag edits on the online dataset are ``Verb/onlineFlagsEdit``.
    private init(for command: DatasetCommand, online: Bool) {
        switch command {
        case .create, .recordAppearance: self = Action(.datasetCreate)
        case .moveWorkspaceState(let workspace, _, _): self = Action(.datasetMove, workspace)
        case .setFlags(let component, _, _), .releaseManualOverride(let component, _):
            self = Action(online ? .onlineFlagsEdit : .flagsEdit, component)
        case .setOMSBits, .setLuminosity, .setPrescale: self = Action(.omsEdit)
        case .addComment: self = Action(.commentAdd)
        }
    }

    /// The action of a cycle command.
    private init(for command: CycleCommand) {
        switch command {
        case .create, .addDatasets, .removeDatasets: self = Action(.cycleEdit, "global")
        case .setWorkspaceState(let workspace, _, _): self = Action(.cycleEdit, workspace)
        }
    }
}
