// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "DSARKit",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "DSARKit", targets: ["DSARKit"]),
        .library(name: "DSARKitTesting", targets: ["DSARKitTesting"]),
        .library(name: "DSARKitPostgres", targets: ["DSARKitPostgres"]),
        .library(name: "DSARKitS3", targets: ["DSARKitS3"]),
        .library(name: "DSARKitService", targets: ["DSARKitService"]),
        .executable(name: "dsar", targets: ["dsar"]),
        .executable(name: "callcenter-example", targets: ["callcenter-example"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CArchive",
            pkgConfig: "libarchive",
            providers: [.apt(["libarchive-dev"])]
        ),
        .target(
            name: "DSARKit",
            dependencies: [
                "CArchive",
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Yams", package: "Yams"),
            ],
            // The templates are compiled in (Access/AccessTemplates+BuiltIn.swift, written from
            // this folder by Scripts/embed-templates.sh), so `dsar` is a single file.
            exclude: ["Access/Templates"]
        ),
        .target(
            name: "DSARKitPostgres",
            dependencies: [
                "DSARKit",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "DSARKitS3",
            dependencies: [
                "DSARKit",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Routes any Hummingbird 2 application can mount: the officer's console, the OpenDSR API,
        // integration tokens and the IVR consent-withdrawal hook.
        .target(
            name: "DSARKitService",
            dependencies: [
                "DSARKit",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "DSARKitTesting",
            dependencies: ["DSARKit"]
        ),
        // The commands of `dsar`, run by the tiny `dsar` executable and, in tests only, by
        // `dsar-fault-harness`. Not a product.
        .target(
            name: "DSARCommandLine",
            dependencies: [
                "DSARKit",
                "DSARKitPostgres",
                "DSARKitS3",
                "DSARKitService",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "dsar",
            dependencies: ["DSARCommandLine"]
        ),
        // Test-only: the very same commands with a crash-injecting ledger and a fixed clock,
        // read from its own environment. Never a product, never shipped.
        .executableTarget(
            name: "dsar-fault-harness",
            dependencies: ["DSARCommandLine", "DSARKit", "DSARKitTesting"],
            path: "Tests/DSARFaultHarness"
        ),
        .target(
            name: "CallCenterExample",
            dependencies: [.product(name: "GRDB", package: "GRDB.swift")],
            path: "Examples/CallCenter/Sources/CallCenterExample",
            resources: [.copy("dsar.yaml")]
        ),
        .executableTarget(
            name: "callcenter-example",
            dependencies: [
                "CallCenterExample",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Examples/CallCenter/Sources/callcenter-example"
        ),
        // A service of the user's that mounts DSARKit next to its own routes (README, DocC
        // "Embedding DSARKit in your service"); compiled by the normal build and tested.
        .executableTarget(
            name: "embedded-service",
            dependencies: [
                "DSARKit", "DSARKitService",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Examples/EmbeddedService"
        ),
        .executableTarget(
            name: "dsar-bench",
            dependencies: [
                "DSARKit", "DSARKitPostgres", "CallCenterExample",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Benchmarks/Sources/dsar-bench"
        ),
        .testTarget(
            name: "DSARKitTests",
            dependencies: [
                "DSARKit", "DSARKitTesting", "CallCenterExample",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(
            name: "DSARKitPostgresTests",
            dependencies: [
                "DSARKit", "DSARKitPostgres", "DSARKitTesting", "CallCenterExample",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "DSARKitS3Tests",
            dependencies: [
                "DSARKit", "DSARKitS3", "DSARKitTesting", "CallCenterExample",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "DSARKitServiceTests",
            dependencies: [
                "DSARKit", "DSARKitService", "DSARKitPostgres", "DSARKitTesting", "CallCenterExample",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "DSARCLITests",
            dependencies: [
                "dsar", "dsar-fault-harness", "CallCenterExample", "embedded-service",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
    ]
)
