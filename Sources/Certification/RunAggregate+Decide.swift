import LedgerCore

extension RunAggregate {
    /// Decides a run command: the events to append, or a typed rejection.
    ///
    /// Edits (OMS attributes, class, significance, stop reason, lumisection count) need the run to be
    /// OPEN; comments and state moves do not. A move from OPEN to SIGNOFF needs `signOff` and also
    /// returns `DatasetCreated` events for the offline datasets the accepted rules select. Commands that
    /// would change nothing return no events.
    public func decide(
        _ command: RunCommand, context: CommandContext, signOff: SignOffInputs? = nil
    ) throws(CertificationError) -> [CertificationEvent] {
        if case .create(let oms, let runClass, let significant) = command {
            try RunNumber.check(runNumber)
            guard !exists else { throw CertificationError(.alreadyExists, "run \(runNumber) exists already") }
            try CommandText.checkLine(runClass, what: "the class of run \(runNumber)")
            return [
                .runCreated(run: runNumber, omsAttributes: oms, runClass: runClass, significant: significant),
                .datasetCreated(.online(run: runNumber), globalState: .open, workspaceStates: [:], appearedIn: []),
            ]
        }
        guard exists else {
            throw CertificationError(.notFound, "run \(runNumber) does not exist; create it first")
        }
        switch command {
        case .create:
            return []
        case .setOMSAttributes(let attributes):
            try requireOpen("its OMS attributes refreshed")
            let changed = attributes.filter { omsAttributes[$0.key] != $0.value }
            guard !changed.isEmpty else { return [] }
            guard changed.keys.allSatisfy({ !$0.isEmpty && !$0.containsControlCharacters }) else {
                throw CertificationError(.invalidArgument, "OMS attribute names of run \(runNumber) must be non-empty")
            }
            return [.runOMSAttributesSet(run: runNumber, attributes: changed)]
        case .setClass(let newClass):
            try requireOpen("its class changed")
            try CommandText.checkLine(newClass, what: "the class of run \(runNumber)")
            return newClass == runClass ? [] : [.runClassSet(run: runNumber, runClass: newClass)]
        case .setSignificance(let value):
            try requireOpen("its significance changed")
            return value == significant ? [] : [.runSignificanceSet(run: runNumber, significant: value)]
        case .markSignificant:
            try requireOpen("marked significant")
            guard !significant else {
                throw CertificationError(.invalidArgument, "run \(runNumber) is already significant")
            }
            return [.runSignificanceSet(run: runNumber, significant: true)]
        case .setStopReason(let reason):
            try requireOpen("its stop reason changed")
            try CommandText.checkLine(reason, what: "the stop reason of run \(runNumber)")
            return reason == stopReason ? [] : [.runStopReasonSet(run: runNumber, stopReason: reason)]
        case .setLumisectionCount(let count):
            try requireOpen("its lumisection count changed")
            guard count >= 0, count <= 1_000_000 else {
                throw CertificationError(
                    .invalidArgument, "run \(runNumber) cannot have \(count) lumisections; allowed: 0 to 1000000")
            }
            return count == lumisectionCount ? [] : [.runLumisectionCountSet(run: runNumber, count: count)]
        case .addComment(let text):
            try CommandText.checkComment(text, what: "a comment on run \(runNumber)")
            return [.commentAdded(.run(runNumber), text: text)]
        case .moveState(let to, let reason):
            return try decideMove(to: to, reason: reason, signOff: signOff)
        }
    }

    private func requireOpen(_ what: String) throws(CertificationError) {
        guard state == .open else {
            throw CertificationError(
                .runNotOpen,
                "run \(runNumber) is \(state.rawValue); it can have \(what) only while OPEN (move it back to OPEN with a reason first)"
            )
        }
    }

    private func decideMove(to: RunState, reason: String, signOff: SignOffInputs?) throws(CertificationError)
        -> [CertificationEvent]
    {
        guard to != state else {
            throw CertificationError(.invalidTransition, "run \(runNumber) is already in state \(state.rawValue)")
        }
        guard let direction = RunState.direction(from: state, to: to) else {
            let allowed = state.allowedMoves.map(\.rawValue).joined(separator: ", ")
            throw CertificationError(
                .invalidTransition,
                "run \(runNumber) cannot move from \(state.rawValue) to \(to.rawValue); allowed from \(state.rawValue): \(allowed)"
            )
        }
        try StateMoveRules.checkReason(reason, direction: direction, what: "run \(runNumber) \(state.rawValue) → \(to.rawValue)")
        var events: [CertificationEvent] = [.runStateMoved(run: runNumber, from: state, to: to, reason: reason)]
        if state == .open && to == .signOff {
            guard let signOff else {
                throw CertificationError(
                    .invalidArgument,
                    "signing off run \(runNumber) needs the datasets-accepted rules and the online dataset's flags")
            }
            try checkSignOff(signOff)
            events += try offlineDatasets(signOff)
        }
        return events
    }

    /// Checks the sign-off rules: a class is set and, for significant runs, every lumisection has a
    /// flag (NOTSET counts) in every certifiable online component.
    private func checkSignOff(_ inputs: SignOffInputs) throws(CertificationError) {
        guard !runClass.trimmedForValidation.isEmpty else {
            throw CertificationError(.signOffBlocked, "run \(runNumber) has no class; set its class before signing off")
        }
        guard significant else { return }
        guard let count = lumisectionCount else {
            throw CertificationError(
                .signOffBlocked, "run \(runNumber) has no lumisection count yet, so its flags cannot be checked")
        }
        guard count > 0 else { return }
        let all = LumisectionRange(unchecked: 1, count)
        var missing: [String] = []
        var total = 0
        for component in inputs.catalogue.certifiableOnlineComponents {
            let gaps = inputs.onlineFlags.unflagged(component: component, in: all)
            guard !gaps.isEmpty else { continue }
            total += 1
            if missing.count < 8 {
                let shown = gaps.prefix(3).map(\.description).joined(separator: ", ")
                missing.append("\(component) (\(shown)\(gaps.count > 3 ? ", …" : ""))")
            }
        }
        guard missing.isEmpty else {
            let more = total > missing.count ? " and \(total - missing.count) more" : ""
            throw CertificationError(
                .signOffBlocked,
                "run \(runNumber) cannot be signed off: lumisections without a flag in certifiable online components "
                    + missing.joined(separator: "; ") + more
                    + "; set GOOD, BAD, STANDBY, EXCLUDED or NOTSET on them first")
        }
    }

    /// The `DatasetCreated` events for offline datasets the accepted rules select that do not exist yet.
    private func offlineDatasets(_ inputs: SignOffInputs) throws(CertificationError) -> [CertificationEvent] {
        var names = Set<String>()
        for rule in inputs.acceptedRules where rule.selects(run: runNumber, runClass: runClass) {
            names.insert(rule.name)
        }
        names.subtract(inputs.existingDatasets)
        names.remove(DatasetKey.onlineName)
        let workspaces = Dictionary(
            uniqueKeysWithValues: inputs.catalogue.offlineWorkspaceNames.map { ($0, DatasetWorkspaceState.waitingDQMGUI) })
        var events: [CertificationEvent] = []
        for name in names.sorted() {
            _ = try ProcessingPass(datasetName: name)
            events.append(
                .datasetCreated(
                    DatasetKey(run: runNumber, name: name), globalState: .waitingDQMGUI, workspaceStates: workspaces,
                    appearedIn: []))
        }
        return events
    }
}
