public import Certification

/// The identities and permissions of `serve --demo`, as data the server appends as configuration commands.
///
/// ```swift
/// for command in DemoAccess.commands { try await session.append(command, actor: "demo") }
/// let access = DemoAccess.configuration(from: fileAccess, bindHost: host)
/// ```
///
/// On a loopback bind the demo turns the dev loopback identity on, and a caller that sends only
/// `email: api@api` (the runregistry client's local mode) gets the ``apiGroup``, which may do every
/// write. The other demo people are reached in the same mode by sending their `email` and `egroups`
/// headers.
public enum DemoAccess {
    /// The e-group that the dev loopback identity carries in demo mode; it may do every write.
    public static let apiGroup = "runledger-demo-api"
    /// The online shifters' e-group: run moves, run edits and online flags.
    public static let shifterGroup = "cms-dqm-runregistry-online-shifters"
    /// The experts' e-group: every write.
    public static let expertGroup = "cms-dqm-runregistry-experts"
    /// The offline tracker certifiers' e-group: tracker dataset moves and `tracker-*` flags.
    public static let trackerCertifierGroup = "cms-dqm-runregistry-offline-tracker-certifiers"

    /// The demo permissions, ids 1 to 4.
    public static let permissions: [Permission] = [
        Permission(
            id: 1, egroup: shifterGroup,
            routes: [
                #"run\.move"#, #"run\.edit"#, #"run\.significance"#, #"run\.refresh"#,
                #"online\.flags\.edit:.+"#, #"comment\.add"#,
            ]),
        Permission(id: 2, egroup: expertGroup, routes: [".*"]),
        Permission(
            id: 3, egroup: trackerCertifierGroup,
            routes: [
                #"dataset\.move:tracker"#, #"flags\.edit:tracker-.+"#, #"cycle\.edit:tracker"#,
                #"json\.generate"#, #"comment\.add"#,
            ]),
        Permission(id: 4, egroup: apiGroup, routes: [".*"]),
    ]

    /// The configuration commands that create ``permissions``.
    public static var commands: [CertificationCommand] {
        permissions.map { .config(.setPermission($0)) }
    }

    /// The demo people, as the dev loopback mode makes them from their `email` and `egroups` headers.
    public static let identities: [Identity] = [
        Identity(email: "shifter@demo", egroups: [shifterGroup], displayName: "Demo Shifter", method: .devLoopback),
        Identity(email: "expert@demo", egroups: [expertGroup], displayName: "Demo Expert", method: .devLoopback),
        Identity(
            email: "tracker@demo", egroups: [trackerCertifierGroup], displayName: "Demo Tracker Certifier",
            method: .devLoopback),
        Identity(email: "viewer@demo", egroups: [], displayName: "Demo Viewer", method: .devLoopback),
        Identity(email: "api@api", egroups: [apiGroup], displayName: nil, method: .devLoopback),
    ]

    /// The access configuration of a demo server: `base` with the dev loopback identity on and carrying
    /// ``apiGroup`` when `bindHost` is a loopback address; `base` unchanged otherwise.
    public static func configuration(from base: AccessConfiguration, bindHost: String) -> AccessConfiguration {
        guard LoopbackHost.isLoopback(bindHost) else { return base }
        var demo = base
        demo.devLoopbackIdentity = true
        if demo.devLoopbackDefaultEgroups.isEmpty { demo.devLoopbackDefaultEgroups = [apiGroup] }
        for identity in identities where demo.devLoopbackIdentities[identity.email] == nil {
            demo.devLoopbackIdentities[identity.email] = identity.egroups.sorted()
        }
        return demo
    }
}
