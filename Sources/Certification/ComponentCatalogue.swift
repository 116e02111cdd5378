/// The component catalogue: certifiable online and offline components and every offline workspace's columns.
///
/// Component keys are open-ended `workspace-column` strings (see ``ComponentKey``); the catalogue says
/// which ones sign-off checks and which workspaces an offline dataset has, not which keys may be flagged.
public struct ComponentCatalogue: Sendable, Hashable {
    /// Certifiable online columns per workspace, checked at run sign-off.
    public var onlineCertifiable: [String: [String]]
    /// Certifiable offline columns per workspace (the "global" columns of offline datasets).
    public var offlineCertifiable: [String: [String]]
    /// Every offline workspace and its columns; each workspace gets a state in every offline dataset.
    public var offlineWorkspaces: [String: [String]]

    /// Creates a catalogue.
    public init(
        onlineCertifiable: [String: [String]], offlineCertifiable: [String: [String]],
        offlineWorkspaces: [String: [String]]
    ) {
        self.onlineCertifiable = onlineCertifiable
        self.offlineCertifiable = offlineCertifiable
        self.offlineWorkspaces = offlineWorkspaces
    }

    /// The certifiable online component keys, sorted, e.g. `dt-dt`, `tracker-pixel`.
    public var certifiableOnlineComponents: [String] { Self.keys(onlineCertifiable) }

    /// The certifiable offline component keys, sorted.
    public var certifiableOfflineComponents: [String] { Self.keys(offlineCertifiable) }

    /// Every offline component key, sorted.
    public var offlineComponents: [String] { Self.keys(offlineWorkspaces) }

    /// The offline workspace names, sorted.
    public var offlineWorkspaceNames: [String] { offlineWorkspaces.keys.sorted() }

    private static func keys(_ map: [String: [String]]) -> [String] {
        map.flatMap { ws, cols in cols.map { "\(ws)-\($0)" } }.sorted()
    }

    /// Checks that every workspace and column name is well formed and that online components exist.
    /// Every component key the catalogue names, online or offline, sorted.
    public var allComponents: [String] {
        Array(Set(certifiableOnlineComponents + certifiableOfflineComponents + offlineComponents)).sorted()
    }

    /// Throws `invalidArgument` naming the component when the catalogue does not list it.
    public func checkKnown(_ component: String) throws(CertificationError) {
        guard !allComponents.contains(component) else { return }
        throw CertificationError(
            .invalidArgument,
            "component '\(component)' is not in the component catalogue; known components: \(allComponents.joined(separator: ", "))")
    }

    func validate() throws(CertificationError) {
        guard !onlineCertifiable.isEmpty else {
            throw CertificationError(.invalidArgument, "the component catalogue needs certifiable online components")
        }
        guard !offlineWorkspaces.isEmpty else {
            throw CertificationError(.invalidArgument, "the component catalogue needs at least one offline workspace")
        }
        for map in [onlineCertifiable, offlineCertifiable, offlineWorkspaces] {
            for (ws, cols) in map {
                guard ComponentKey.isValidWorkspace(ws), ws != DatasetAggregate.globalWorkspace else {
                    throw CertificationError(.invalidArgument, "'\(ws)' is not a valid workspace name")
                }
                for col in cols {
                    try ComponentKey.check("\(ws)-\(col)")
                }
            }
        }
    }
}

/// Rules for component keys: `workspace-column`, where the workspace has no `-`.
///
/// Keys are open-ended (migrated data has keys such as `tracker-track_private`), so any key of this
/// shape is accepted, in or out of the catalogue.
public enum ComponentKey {
    /// The workspace of a key: the part before the first `-`.
    public static func workspace(of key: String) -> String {
        key.firstIndex(of: "-").map { String(key[..<$0]) } ?? key
    }

    /// Whether `name` is a valid workspace name: letters, digits and `_`.
    static func isValidWorkspace(_ name: String) -> Bool {
        TextRules.isSimpleToken(name, maximum: 64, allowDot: false, allowDash: false)
    }

    /// Checks that `key` is `workspace-column` with non-empty parts and no control characters.
    public static func check(_ key: String) throws(CertificationError) {
        guard let dash = key.firstIndex(of: "-"), isValidWorkspace(String(key[..<dash])),
            !key[key.index(after: dash)...].isEmpty, key.utf8.count <= 128, !key.containsControlCharacters,
            !key.contains(" ")
        else {
            throw CertificationError(
                .invalidArgument, "'\(key)' is not a component key; expected 'workspace-column', e.g. 'dt-dt'")
        }
    }
}
