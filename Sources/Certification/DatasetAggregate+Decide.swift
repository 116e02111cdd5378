import LedgerCore

extension DatasetAggregate {
    /// Decides a dataset command against the dataset and its run: the events to append, or a typed rejection.
    ///
    /// Flag rules: on the online dataset, flags (and OMS bits) change only while the run is OPEN. On an
    /// offline dataset, component `ws-col` follows the dataset's state in workspace `ws` (or the
    /// global state when the dataset has no such workspace): people may edit while it is OPEN,
    /// automatic writers while it is OPEN or `waiting dqm gui`. Luminosity and prescales are facts and
    /// may be set in any state.
    public func decide(
        _ command: DatasetCommand, run: RunAggregate, context: CommandContext
    ) throws(CertificationError) -> [CertificationEvent] {
        guard run.runNumber == key.run else {
            throw CertificationError(.invalidArgument, "\(key) was given run \(run.runNumber) to decide with")
        }
        guard run.exists else {
            throw CertificationError(.notFound, "run \(key.run) does not exist; create it before its datasets")
        }
        if case .create(let workspaces) = command {
            return try decideCreate(workspaces: workspaces)
        }
        guard exists else { throw CertificationError(.notFound, "\(key) does not exist") }
        switch command {
        case .create:
            return []
        case .moveWorkspaceState(let workspace, let to, let reason):
            return try decideMove(workspace: workspace, to: to, reason: reason)
        case .recordAppearance(let source, let names):
            try CommandText.checkLine(source, what: "the source \(key) appeared in", allowEmpty: false)
            var fresh: [String] = []
            for name in names where !guiDatasetNames.contains(name) && !fresh.contains(name) {
                try CommandText.checkLine(name, what: "a DQM GUI dataset name", allowEmpty: false)
                fresh.append(name)
            }
            if appearedIn.contains(source) && fresh.isEmpty { return [] }
            return [.datasetAppearedIn(key, source: source, guiDatasetNames: fresh)]
        case .setFlags(let component, let range, let flag):
            try ComponentKey.check(component)
            try range.check(within: run.lumisectionCount, run: key.run)
            if flag.status == .bad && flag.comment.trimmedForValidation.count < Flag.minimumBadCommentLength {
                throw CertificationError(
                    .commentRequired,
                    "setting \(component) BAD on \(range) of \(key) needs a comment of at least \(Flag.minimumBadCommentLength) characters"
                )
            }
            try checkFlagsEditable(component: component, run: run, actorKind: context.actorKind)
            let rule = context.actorKind == .automatic ? context.rule : nil
            return [.lumisectionFlagsSet(key, component: component, range: range, flag: flag, rule: rule)]
        case .releaseManualOverride(let component, let range):
            guard context.actorKind == .human else {
                throw CertificationError(
                    .humanActorRequired,
                    "only a person can release manual flags of \(component) on \(range) of \(key); \(context.actor) is automatic")
            }
            try ComponentKey.check(component)
            try range.check(within: run.lumisectionCount, run: key.run)
            try checkFlagsEditable(component: component, run: run, actorKind: context.actorKind)
            guard flags.hasManualOverride(component: component, in: range) else {
                throw CertificationError(
                    .nothingToRelease, "\(key) has no manual flag for \(component) in \(range); there is nothing to release")
            }
            return [.manualOverrideReleased(key, component: component, range: range)]
        case .setOMSBits(let bits, let range, let comment):
            guard !bits.isEmpty else {
                throw CertificationError(.invalidArgument, "setting OMS bits on \(range) of \(key) needs at least one bit")
            }
            for name in bits.keys where !TextRules.isSimpleToken(name, maximum: 64, allowDot: false, allowDash: false) {
                throw CertificationError(.invalidArgument, "'\(name)' is not an OMS bit name, e.g. 'cms_active'")
            }
            try range.check(within: run.lumisectionCount, run: key.run)
            if context.actorKind == .human && comment.trimmedForValidation.count < 3 {
                throw CertificationError(
                    .commentRequired, "editing OMS bits on \(range) of \(key) needs a comment of at least 3 characters")
            }
            if key.isOnline && run.state != .open {
                throw CertificationError(
                    .runNotOpen,
                    "run \(key.run) is \(run.state.rawValue); OMS bits of its online dataset change only while it is OPEN")
            }
            return [.omsLumisectionBitsSet(key, range: range, bits: bits, comment: comment)]
        case .setLuminosity(let range, let recorded, let delivered):
            try range.check(within: run.lumisectionCount, run: key.run)
            guard recorded.count == range.count, delivered.count == range.count else {
                throw CertificationError(
                    .invalidArgument,
                    "luminosity for \(range) of \(key) needs \(range.count) recorded and delivered values; got \(recorded.count) and \(delivered.count)"
                )
            }
            guard (recorded + delivered).allSatisfy({ $0.isFinite && $0 >= 0 }) else {
                throw CertificationError(
                    .invalidArgument, "luminosity values for \(range) of \(key) must be finite and not negative")
            }
            return [.omsLuminositySet(key, range: range, recorded: recorded, delivered: delivered)]
        case .setPrescale(let range, let index, let name):
            try range.check(within: run.lumisectionCount, run: key.run)
            guard index != nil || name != nil else {
                throw CertificationError(.invalidArgument, "a prescale for \(range) of \(key) needs an index or a name")
            }
            if let index, index < 0 {
                throw CertificationError(.invalidArgument, "prescale index \(index) for \(range) of \(key) is negative")
            }
            return [.prescaleSet(key, range: range, index: index, name: name)]
        case .addComment(let text, let range, let component):
            try CommandText.checkComment(text, what: "a comment on \(key)")
            if let component { try ComponentKey.check(component) }
            guard let range else {
                guard component == nil else {
                    throw CertificationError(
                        .invalidArgument, "a comment on component \(component!) of \(key) needs a lumisection range")
                }
                return [.commentAdded(.dataset(key), text: text)]
            }
            try range.check(within: run.lumisectionCount, run: key.run)
            return [.commentAdded(.lumisections(key, range, component: component), text: text)]
        }
    }

    private func decideCreate(workspaces: [String]) throws(CertificationError) -> [CertificationEvent] {
        guard !exists else { throw CertificationError(.alreadyExists, "\(key) exists already") }
        guard !key.isOnline else {
            throw CertificationError(.invalidArgument, "the online dataset of run \(key.run) is created with its run")
        }
        _ = try ProcessingPass(datasetName: key.name)
        guard !workspaces.isEmpty else {
            throw CertificationError(.invalidArgument, "creating \(key) needs at least one workspace")
        }
        var states: [String: DatasetWorkspaceState] = [:]
        for ws in workspaces {
            guard ComponentKey.isValidWorkspace(ws), ws != Self.globalWorkspace else {
                throw CertificationError(.invalidArgument, "'\(ws)' is not a workspace name for \(key)")
            }
            states[ws] = .waitingDQMGUI
        }
        return [.datasetCreated(key, globalState: .waitingDQMGUI, workspaceStates: states, appearedIn: [])]
    }

    private func decideMove(workspace: String, to: DatasetWorkspaceState, reason: String) throws(CertificationError)
        -> [CertificationEvent]
    {
        guard !key.isOnline else {
            throw CertificationError(
                .invalidArgument, "the online dataset of run \(key.run) has no workspace states; it follows the run's state")
        }
        guard let from = state(inWorkspace: workspace) else {
            let known = ([Self.globalWorkspace] + workspaceStates.keys.sorted()).joined(separator: ", ")
            throw CertificationError(.notFound, "\(key) has no workspace '\(workspace)'; its workspaces: \(known)")
        }
        let place = "\(key) in workspace \(workspace)"
        guard from != to else {
            throw CertificationError(.invalidTransition, "\(place) is already '\(to.rawValue)'")
        }
        guard let direction = DatasetWorkspaceState.direction(from: from, to: to) else {
            let allowed = from.allowedMoves.map { "'\($0.rawValue)'" }.joined(separator: ", ")
            throw CertificationError(
                .invalidTransition,
                "\(place) cannot move from '\(from.rawValue)' to '\(to.rawValue)'; allowed from '\(from.rawValue)': \(allowed.isEmpty ? "none" : allowed)"
            )
        }
        try StateMoveRules.checkReason(reason, direction: direction, what: "\(place) '\(from.rawValue)' → '\(to.rawValue)'")
        guard workspace == Self.globalWorkspace else {
            return [.datasetWorkspaceStateMoved(key, workspace: workspace, from: from, to: to, reason: reason)]
        }
        var events: [CertificationEvent] = [.datasetGlobalStateMoved(key, from: from, to: to, reason: reason)]
        if from == .waitingDQMGUI && to == .open {
            for ws in workspaceStates.keys.sorted() where workspaceStates[ws] == .waitingDQMGUI {
                events.append(.datasetWorkspaceStateMoved(key, workspace: ws, from: .waitingDQMGUI, to: .open, reason: reason))
            }
        }
        return events
    }

    /// Checks that `component`'s flags may change now (see ``decide(_:run:context:)``).
    private func checkFlagsEditable(component: String, run: RunAggregate, actorKind: ActorKind) throws(CertificationError) {
        if key.isOnline {
            guard run.state == .open else {
                throw CertificationError(
                    .runNotOpen,
                    "run \(key.run) is \(run.state.rawValue); flags of its online dataset change only while it is OPEN")
            }
            return
        }
        let ws = ComponentKey.workspace(of: component)
        let (name, state) = workspaceStates[ws].map { (ws, $0) } ?? (Self.globalWorkspace, globalState)
        let editable = state == .open || (actorKind == .automatic && state == .waitingDQMGUI)
        guard editable else {
            throw CertificationError(
                .workspaceNotEditable,
                "\(component) of \(key) cannot change: workspace \(name) is '\(state.rawValue)'; people edit flags while it is OPEN, automatic writers also while 'waiting dqm gui'"
            )
        }
    }
}
