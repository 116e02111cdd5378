// swift-tools-version: 6.0
import PackageDescription

/// Upcoming-feature flags applied to every Swift target (style rule 11).
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

/// The domain and service modules do heavy interval arithmetic; optimise them even in debug builds
/// so that the test suite (which generates whole reference workloads) stays fast.
let optimizedInDebug: [SwiftSetting] = strictSettings + [.unsafeFlags(["-O"], .when(configuration: .debug))]

let package = Package(
    name: "RunLedger",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "runledger", targets: ["runledger"]),
        .library(name: "LedgerCore", targets: ["LedgerCore"]),
        .library(name: "LedgerStorage", targets: ["LedgerStorage"]),
        .library(name: "Rules", targets: ["Rules"]),
        .library(name: "Certification", targets: ["Certification"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/vapor/jwt-kit", from: "5.7.1"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.0.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
    ],
    targets: [
        // C shims: only LedgerStorage imports these (style rule 1).
        .systemLibrary(name: "CLMDB", pkgConfig: "lmdb", providers: [.apt(["liblmdb-dev"])]),
        .systemLibrary(name: "CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),

        // Pure: envelopes, canonical encoding, hash chain. No I/O.
        .target(
            name: "LedgerCore",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: optimizedInDebug
        ),
        // The only module that touches LMDB and zstd.
        .target(
            name: "LedgerStorage",
            dependencies: ["LedgerCore", "CLMDB", "CZstd"],
            swiftSettings: optimizedInDebug
        ),
        // Pure certification domain: commands, validation, events, state machines.
        .target(name: "Certification", dependencies: ["LedgerCore"], swiftSettings: optimizedInDebug),
        // Pure: the certification-JSON format (parse real files, write the canonical bytes).
        .target(name: "CertificationJSON", dependencies: ["Rules"], swiftSettings: optimizedInDebug),
        // Commands against the log: sessions, importers, the reference workload, audit queries.
        .target(
            name: "CertificationService",
            dependencies: ["Certification", "CertificationJSON", "LedgerCore", "LedgerStorage", "Rules"],
            swiftSettings: optimizedInDebug
        ),
        // Pure: the projection logic; each event becomes new versions of de-normalised view rows.
        .target(name: "ProjectionViews", dependencies: ["Certification", "LedgerCore"], swiftSettings: optimizedInDebug),
        // Projection workers: services that keep the versioned views current, and as-of reads.
        .target(
            name: "Projections",
            dependencies: [
                "ProjectionViews", "Certification", "LedgerCore", "LedgerStorage",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: optimizedInDebug
        ),
        // Pure: golden-JSON generation pieces (dataset-name filter, per-segment rule evaluation,
        // certification-JSON definitions, their row form and which events touch them).
        .target(
            name: "GoldenJSON", dependencies: ["Rules", "CertificationJSON", "Certification", "LedgerCore"],
            swiftSettings: optimizedInDebug),
        // Golden JSON from the views, as of any version: on demand, and maintained per definition.
        .target(
            name: "GoldenService",
            dependencies: [
                "GoldenJSON", "CertificationJSON", "Rules", "Projections", "ProjectionViews", "Certification", "LedgerCore",
                "LedgerStorage",
            ],
            swiftSettings: optimizedInDebug
        ),
        // Pure: the Run Registry's list-query language (filters, sortings, paging) over JSON documents.
        .target(name: "RunRegistryQuery", dependencies: ["Rules"], swiftSettings: optimizedInDebug),
        // Who a request is (JWT, trusted proxy, dev loopback) and what it may do (event-sourced permissions).
        .target(
            name: "Access",
            dependencies: [
                "Certification", .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strictSettings
        ),
        // The HTTP server (Hummingbird 2): native API, Run Registry-compatible routes, health and metrics.
        // It only translates HTTP into calls on the services and their answers back.
        .target(
            name: "APIServer",
            dependencies: [
                "Access", "RunRegistryQuery", "Certification", "CertificationService", "CertificationJSON", "GoldenJSON",
                "GoldenService", "LedgerCore", "LedgerStorage", "Projections", "ProjectionViews", "Rules",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        // Pure: server-side SVG charts (integrated luminosity, certification progress).
        .target(name: "Plots", swiftSettings: strictSettings),
        // The web UI under /ui/: server-rendered pages (Mustache templates) over the API's services,
        // in the same process and behind the same identity and permissions.
        .target(
            name: "WebUI",
            dependencies: [
                "APIServer", "Access", "Plots", "Certification", "CertificationService", "CertificationJSON", "GoldenJSON",
                "GoldenService", "LedgerCore", "LedgerStorage", "Projections", "ProjectionViews", "Rules",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            resources: [.copy("Templates"), .copy("Static")],
            swiftSettings: strictSettings
        ),
        // Pure JsonLogic rules engine.
        .target(name: "Rules", swiftSettings: optimizedInDebug),
        // Command-line commands, kept in a library so tests drive them directly.
        .target(
            name: "RunLedgerCommands",
            dependencies: [
                "LedgerCore", "LedgerStorage", "Certification", "CertificationService", "CertificationJSON", "Projections",
                "ProjectionViews", "GoldenService", "GoldenJSON", "Rules", "APIServer", "Access", "WebUI", "Plots",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "runledger",
            dependencies: [
                "RunLedgerCommands", .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),

        .testTarget(name: "LedgerCoreTests", dependencies: ["LedgerCore"], swiftSettings: strictSettings),
        .testTarget(
            name: "LedgerStorageTests",
            dependencies: ["LedgerCore", "LedgerStorage", "runledger"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "CertificationTests",
            dependencies: ["Certification", "LedgerCore"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "CertificationJSONTests",
            dependencies: ["CertificationJSON"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "CertificationServiceTests",
            dependencies: ["CertificationService", "Certification", "CertificationJSON", "LedgerCore", "LedgerStorage"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ProjectionViewsTests",
            dependencies: ["ProjectionViews", "Certification", "LedgerCore"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ProjectionsTests",
            dependencies: [
                "Projections", "ProjectionViews", "Certification", "CertificationService", "LedgerCore", "LedgerStorage",
                "runledger",
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "GoldenJSONTests",
            dependencies: ["GoldenJSON", "Rules"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "GoldenServiceTests",
            dependencies: [
                "GoldenService", "GoldenJSON", "CertificationJSON", "CertificationService", "Certification", "Projections",
                "ProjectionViews", "LedgerCore", "LedgerStorage", "Rules", .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "RunRegistryQueryTests",
            dependencies: ["RunRegistryQuery", "Rules"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "AccessTests",
            dependencies: [
                "Access", "Certification", "LedgerCore", .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "APIServerTests",
            dependencies: [
                "APIServer", "DemoLedgerTestSupport", "Access", "Certification", "CertificationService", "LedgerCore", "LedgerStorage", "Projections",
                "Rules", "GoldenService", .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "JWTKit", package: "jwt-kit"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(name: "PlotsTests", dependencies: ["Plots"], swiftSettings: strictSettings),
        // Test support shared by the server suites: the demo workload generated once per process.
        .target(
            name: "DemoLedgerTestSupport",
            dependencies: ["Access", "Certification", "CertificationService", "LedgerCore", "LedgerStorage"],
            path: "Tests/DemoLedgerTestSupport",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "WebUITests",
            dependencies: [
                "WebUI", "DemoLedgerTestSupport", "APIServer", "Access", "Certification", "CertificationService", "LedgerCore", "LedgerStorage",
                "Projections", "ProjectionViews", "GoldenService", "CertificationJSON", "Plots", .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "RulesTests",
            dependencies: ["Rules"],
            swiftSettings: strictSettings
        ),
    ]
)
