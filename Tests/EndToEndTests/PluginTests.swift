import Foundation
import XCTest

/// Aggregator plugins: the example plugin built with `scripts/build-plugin`
/// against the same build as the `eca-zoo` binary, loaded by `--plugin` or a
/// recipe's `plugins`, trained, reloaded by `predict`; and every refusal as one
/// line with exit status 2.
final class PluginTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = try makeTemporaryDirectory(for: self)
    }

    override class func tearDown() {
        try? FileManager.default.removeItem(at: workspace)
        super.tearDown()
    }

    // MARK: - Loading, training, predicting

    func testListShowsThePluginAggregator() throws {
        let plugin = try Self.examplePlugin()
        let output = try CLI.run(["list", "aggregators", "--plugin", plugin.path], cwd: directory)
        XCTAssertEqual(output.status, 0, output.stderr)
        XCTAssertTrue(output.stdout.contains("  powermean  — power-mean attention"), output.stdout)
        XCTAssertTrue(output.stdout.contains("[plugin: \(plugin.path)]"), output.stdout)
        XCTAssertTrue(output.stdout.contains("      p: number = 2, > 0"), output.stdout)
    }

    func testTrainsWithThePluginAndPredictReloadsIt() throws {
        let plugin = try Self.examplePlugin()
        try write(tinyRecipe(aggregator: "powermean"), "tiny.json", in: directory)
        let run = try CLI.run(["run", "tiny.json", "--quiet", "--plugin", plugin.path, "--set", "output.name=pm"], cwd: directory)
        XCTAssertEqual(run.status, 0, run.stderr)
        let runDirectory = directory.appendingPathComponent("runs/pm")
        let resolved = try jsonObject(at: runDirectory.appendingPathComponent("recipe.resolved.json"))
        XCTAssertEqual(resolved["plugins"] as? [String], [plugin.path], "the run records the plugin it needs")
        XCTAssertEqual((resolved["model"] as? [String: Any]).flatMap { $0["aggregator"] as? [String: Any] }?["p"] as? Double, 2)

        // `predict` loads the recorded plugin by itself.
        try write("set,x0,x1,x2\na,0.1,0.2,0.3\na,0.3,0.1,-0.2\nb,1.0,1.0,1.0\n", "input.csv", in: directory)
        let predicted = try CLI.run(["predict", runDirectory.path, "input.csv"], cwd: directory)
        XCTAssertEqual(predicted.status, 0, predicted.stderr)
        let lines = predicted.stdout.split(separator: "\n")
        XCTAssertEqual(lines.first, "set,prediction")
        XCTAssertEqual(lines.count, 3, predicted.stdout)

        // Without the plugin the aggregator is unknown, as any unknown name.
        let message = try assertConfigError(["validate", "tiny.json"], in: directory)
        XCTAssertTrue(message.contains("unknown aggregator \"powermean\""), message)
    }

    func testRecipePluginsAreRelativeToTheRecipe() throws {
        let plugin = try Self.examplePlugin()
        let sub = directory.appendingPathComponent("experiments/lib", isDirectory: true)
        try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: plugin, to: sub.appendingPathComponent("libPowerMeanAggregator.so"))
        try write(tinyRecipe(aggregator: "powermean", extra: #""plugins": ["lib/libPowerMeanAggregator.so"]"#),
                  "experiments/tiny.json", in: directory)
        let output = try CLI.run(["validate", "experiments/tiny.json", "--print"], cwd: directory)
        XCTAssertEqual(output.status, 0, output.stderr)
        XCTAssertTrue(output.stdout.contains(sub.appendingPathComponent("libPowerMeanAggregator.so").path), output.stdout)

        let bad = try write(tinyRecipe(extra: #""plugins": "lib/libPowerMeanAggregator.so""#), "experiments/bad.json", in: directory)
        let message = try assertConfigError(["validate", bad.path], in: directory)
        XCTAssertTrue(message.contains("plugins"), message)
    }

    // MARK: - Refusals

    func testMissingFileIsRefused() throws {
        let message = try assertConfigError(["list", "--plugin", "libNothing.so"], in: directory)
        XCTAssertEqual(message, "plugin libNothing.so: no such file")
    }

    func testATextFileIsRefused() throws {
        try write("not a library\n", "notes.so", in: directory)
        let message = try assertConfigError(["list", "--plugin", "notes.so"], in: directory)
        XCTAssertEqual(message, "plugin notes.so: not an eca-zoo plugin (not a shared library)")
    }

    func testASystemLibraryIsRefused() throws {
        let candidates = ["/lib/x86_64-linux-gnu/libm.so.6", "/usr/lib/x86_64-linux-gnu/libm.so.6",
                          "/lib/aarch64-linux-gnu/libm.so.6", "/usr/lib/aarch64-linux-gnu/libm.so.6", "/lib64/libm.so.6"]
        guard let libm = candidates.first(where: FileManager.default.fileExists) else { throw XCTSkip("no libm.so.6 found") }
        let message = try assertConfigError(["list", "--plugin", libm], in: directory)
        XCTAssertEqual(message, "plugin \(libm): not an eca-zoo plugin (no eca_zoo_plugin_version symbol)")
    }

    func testAPluginBuiltForAnotherVersionIsRefused() throws {
        let plugin = try Self.buildFixture("OtherVersionPlugin", source: """
            import Foundation
            let version = strdup("9.9.0")!
            @_cdecl("eca_zoo_plugin_version") public func pluginVersion() -> UnsafePointer<CChar> { UnsafePointer(version) }
            @_cdecl("eca_zoo_plugin_register") public func pluginRegister() -> Int32 { 0 }
            """)
        let message = try assertConfigError(["list", "--plugin", plugin.path], in: directory)
        XCTAssertTrue(message.hasPrefix("plugin \(plugin.path) was built for eca-zoo 9.9.0; this is eca-zoo "), message)
        XCTAssertTrue(message.hasSuffix(": rebuild the plugin against this version"), message)
    }

    func testANameCollidingWithABuiltInIsRefused() throws {
        let plugin = try Self.buildFixture("MeanAgainPlugin", source: Self.registeringFixture(name: "mean"))
        let message = try assertConfigError(["list", "--plugin", plugin.path], in: directory)
        XCTAssertEqual(message, "plugin \(plugin.path): registration failed (status 1): cannot register aggregator \"mean\" from \(plugin.path): the name is already registered (from built-in)")
    }

    func testANameCollidingWithAnotherPluginIsRefused() throws {
        let first = try Self.examplePlugin()
        let second = directory.appendingPathComponent("libPowerMeanCopy.so")
        try FileManager.default.copyItem(at: first, to: second)
        let message = try assertConfigError(["list", "--plugin", first.path, "--plugin", second.path], in: directory)
        XCTAssertEqual(message, "plugin \(second.path): registration failed (status 1): cannot register aggregator \"powermean\" from \(second.path): the name is already registered (from \(first.path))")
    }

    /// A plugin that carries its own copy of EcaZoo would fill a second registry;
    /// every copy defines `eca_zoo_host_marker`, which this fixture imitates.
    func testAPluginWithItsOwnCopyOfTheZooIsRefused() throws {
        let plugin = try Self.buildFixture("OwnCopyPlugin", source: Self.registeringFixture(name: "own_copy") + """

            @_cdecl("eca_zoo_host_marker") public func ownMarker() -> Int32 { 2 }
            """)
        let message = try assertConfigError(["list", "--plugin", plugin.path], in: directory)
        XCTAssertTrue(message.hasPrefix("plugin \(plugin.path) carries its own copy of the EcaZoo library"), message)
    }

    // MARK: - Building plugins

    /// A plugin registering a mean aggregator as `name`.
    private static func registeringFixture(name: String) -> String {
        """
        import EcaZoo
        import Foundation
        let version = strdup(EcaZooVersion.compiledVersion)!
        @_cdecl("eca_zoo_plugin_version") public func pluginVersion() -> UnsafePointer<CChar> { UnsafePointer(version) }
        @_cdecl("eca_zoo_plugin_register") public func pluginRegister() -> Int32 {
            do {
                try Zoo.aggregators.register("\(name)", summary: "mean pooling again") { _, c in MeanAggregator(inputWidth: c.inputWidth) }
                return 0
            } catch {
                Zoo.lastPluginError = "\\(error)"
                return 1
            }
        }
        """
    }

    nonisolated(unsafe) private static var example: Result<URL, Error>?
    nonisolated(unsafe) private static var workspace: URL = FileManager.default.temporaryDirectory
        .appendingPathComponent("eca-zoo-plugins-\(UUID().uuidString)", isDirectory: true)

    /// `Plugins/PowerMeanAggregator`, built once for all tests.
    private static func examplePlugin() throws -> URL {
        if example == nil {
            example = Result { try build(CLI.packageRoot.appendingPathComponent("Plugins/PowerMeanAggregator"), name: "PowerMeanAggregator") }
        }
        return try example!.get()
    }

    private static func buildFixture(_ name: String, source: String) throws -> URL {
        let dir = workspace.appendingPathComponent("src/\(name)", isDirectory: true)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try Data(source.utf8).write(to: dir.appendingPathComponent("\(name).swift"))
        return try build(dir, name: name)
    }

    /// Runs `scripts/build-plugin DIR --bin-path <the binary's directory>`: the
    /// plugin must be compiled against the modules of the build that loads it.
    private static func build(_ pluginDirectory: URL, name: String) throws -> URL {
        guard let binary = CLI.binary else { throw XCTSkip("eca-zoo executable missing") }
        let products = binary.deletingLastPathComponent()
        guard FileManager.default.fileExists(atPath: products.appendingPathComponent("Modules/EcaZoo.swiftmodule").path) else {
            throw XCTSkip("no EcaZoo module beside the eca-zoo binary to build plugins against")
        }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        guard path.split(separator: ":").contains(where: { FileManager.default.isExecutableFile(atPath: "\($0)/swiftc") }) else {
            throw XCTSkip("swiftc is not on PATH; cannot build plugins")
        }
        try FileManager.default.createDirectory(at: workspace, withIntermediateDirectories: true)
        let library = workspace.appendingPathComponent("lib\(name).so")
        let log = workspace.appendingPathComponent("build-\(name).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = [CLI.packageRoot.appendingPathComponent("scripts/build-plugin").path, pluginDirectory.path,
                             "--bin-path", products.path, "-o", library.path]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        process.waitUntilExit()
        try handle.close()
        guard process.terminationStatus == 0 else {
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            XCTFail("scripts/build-plugin \(pluginDirectory.lastPathComponent) failed:\n\(text)")
            throw XCTSkip("plugin build failed")
        }
        return library
    }
}
