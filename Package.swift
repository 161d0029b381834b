// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "eca-zoo",
    products: [
        .executable(name: "eca-zoo", targets: ["eca-zoo"]),
        .library(name: "EcaZoo", targets: ["EcaZoo"]),
        .library(name: "TensorEngine", targets: ["TensorEngine"]),
        .library(name: "EcaZooCLI", targets: ["EcaZooCLI"]),
    ],
    targets: [
        // Layer 1: C system libraries from Debian's packages.
        .systemLibrary(
            name: "CJSONC",
            pkgConfig: "json-c",
            providers: [.apt(["libjson-c-dev"])]
        ),
        .systemLibrary(
            name: "COpenBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]
        ),
        // Layer 2: Float32 tensors, kernels, autodiff, optimisers, RNG.
        .target(
            name: "TensorEngine",
            dependencies: ["COpenBLAS"]
        ),
        // Layer 3: aggregators, encoders, data, training, recipes, reports.
        .target(
            name: "EcaZoo",
            dependencies: ["TensorEngine", "CJSONC"]
        ),
        // Layer 4: the command line: the commands as a library, and the executable.
        .target(
            name: "EcaZooCLI",
            dependencies: ["EcaZoo", "TensorEngine"]
        ),
        .executableTarget(
            name: "eca-zoo",
            dependencies: ["EcaZooCLI"],
            // Plugins bind to the host's single copy of the zoo (one registry).
            linkerSettings: [.unsafeFlags(["-Xlinker", "--export-dynamic"])]
        ),
        .testTarget(name: "TensorEngineTests", dependencies: ["TensorEngine"]),
        .testTarget(name: "EcaZooTests", dependencies: ["EcaZoo"]),
        .testTarget(name: "EndToEndTests", dependencies: ["EcaZoo", "EcaZooCLI"]),
    ],
    swiftLanguageModes: [.v5]
)
