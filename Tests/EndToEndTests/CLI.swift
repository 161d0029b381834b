import Foundation
import XCTest

/// Runs the real `eca-zoo` binary as a subprocess, the way a user does.
///
/// The binary is found next to the test bundle: SwiftPM puts both in the same
/// products directory (`.build/release/eca-zoo` beside
/// `.build/release/eca-zooPackageTests.xctest`) and builds the executable for
/// `swift test` along with the test targets.
enum CLI {
    /// What one invocation produced.
    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String

        /// Standard error split into lines, without the empty last one.
        var stderrLines: [String] { stderr.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init) }
    }

    /// The `eca-zoo` executable, or `nil` if it was not built.
    static var binary: URL? {
        // On Linux the bundle URL is the products directory itself; on macOS it is the .xctest inside it.
        let bundle = Bundle(for: BundleMarker.self).bundleURL
        return [bundle, bundle.deletingLastPathComponent()].map { $0.appendingPathComponent("eca-zoo") }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) && !$0.hasDirectoryPath }
    }

    /// The package root (for `recipes/` and `models/`), from this file's location.
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Runs `eca-zoo args…` in `cwd` with standard input closed, waiting for it to exit.
    ///
    /// Output goes to files rather than pipes so a chatty child can never block
    /// on a full pipe while the test waits for it.
    static func run(_ args: [String], cwd: URL, file: StaticString = #filePath, line: UInt = #line) throws -> Output {
        guard let binary else {
            let bundle = Bundle(for: BundleMarker.self).bundleURL
            XCTFail("the eca-zoo executable is missing beside the tests (looked in \(bundle.path) and its parent); build it first (swift build) or run `swift test`", file: file, line: line)
            throw XCTSkip("eca-zoo executable missing")
        }
        let capture = FileManager.default.temporaryDirectory.appendingPathComponent("eca-zoo-e2e-io-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: capture, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: capture) }
        let outURL = capture.appendingPathComponent("stdout"), errURL = capture.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)

        let process = Process()
        process.executableURL = binary
        process.arguments = args
        process.currentDirectoryURL = cwd
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = out
        process.standardError = err
        try process.run()
        process.waitUntilExit()
        try out.close()
        try err.close()

        let stdout = String(decoding: try Data(contentsOf: outURL), as: UTF8.self)
        let stderr = String(decoding: try Data(contentsOf: errURL), as: UTF8.self)
        if process.terminationReason == .uncaughtSignal {
            XCTFail("eca-zoo \(args.joined(separator: " ")) crashed with signal \(process.terminationStatus)\n\(stderr)", file: file, line: line)
        }
        return Output(status: process.terminationStatus, stdout: stdout, stderr: stderr)
    }

    private final class BundleMarker {}
}

/// A fresh directory per test, removed when the test ends.
func makeTemporaryDirectory(for test: XCTestCase) throws -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("eca-zoo-e2e-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
    return url
}

/// Writes `text` to `name` inside `directory` and returns its URL.
@discardableResult
func write(_ text: String, _ name: String, in directory: URL) throws -> URL {
    let url = directory.appendingPathComponent(name)
    try Data(text.utf8).write(to: url)
    return url
}

/// The names in `directory`, sorted.
func contents(of directory: URL) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).sorted()
}

/// A recipe small enough to train in well under a second: 60 sets of 4
/// three-dimensional elements, one hidden layer, mean pooling. `data` replaces
/// the data section; `extra` is appended as further top-level members (JSON text).
func tinyRecipe(aggregator: String = "mean", epochs: Int = 2, batchSize: Int = 8, outputDir: String = "runs",
                data: String? = nil, extra: String = "") -> String {
    let dataSection = data ?? #"{"type": "homogeneous", "samples": 60, "set_size": 4, "dimension": 3, "seed": 1}"#
    return """
    {
      "data": \(dataSection),
      "model": {"encoder": {"type": "mlp", "widths": [8]}, "aggregator": {"type": "\(aggregator)"}, "head": {"type": "linear"}},
      "loss": {"type": "pcc", "lambda_pcc": 1},
      "optimizer": {"type": "adam", "lr": 0.01},
      "train": {"epochs": \(epochs), "batch_size": \(batchSize), "seed": 0},
      "output": {"dir": "\(outputDir)"}\(extra.isEmpty ? "" : ",\n  " + extra)
    }
    """
}

extension XCTestCase {
    /// Asserts that a failed command printed exactly one line, `eca-zoo: error: …`,
    /// and returns the text after that prefix.
    @discardableResult
    func assertOneErrorLine(_ output: CLI.Output, status: Int32, file: StaticString = #filePath, line: UInt = #line) -> String {
        XCTAssertEqual(output.status, status, "exit status; stderr: \(output.stderr)", file: file, line: line)
        let lines = output.stderrLines
        XCTAssertEqual(lines.count, 1, "expected one line on stderr, got:\n\(output.stderr)", file: file, line: line)
        let first = lines.first ?? ""
        XCTAssertTrue(first.hasPrefix("eca-zoo: error: "), "stderr: \(first)", file: file, line: line)
        return String(first.dropFirst("eca-zoo: error: ".count))
    }

    /// Runs a command expected to fail as a usage, recipe or data error (status 2)
    /// in `directory`, and checks it wrote nothing there.
    func assertConfigError(_ args: [String], in directory: URL, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let before = contents(of: directory)
        let output = try CLI.run(args, cwd: directory, file: file, line: line)
        let message = assertOneErrorLine(output, status: 2, file: file, line: line)
        XCTAssertEqual(contents(of: directory), before, "a failed command must not write anything", file: file, line: line)
        XCTAssertEqual(output.stdout, "", "nothing on stdout for a config error", file: file, line: line)
        return message
    }
}

extension XCTestCase {
    /// Trains the tiny recipe into `directory/runs/NAME` and returns that run directory.
    func trainTinyRun(in directory: URL, name: String, aggregator: String = "mean", epochs: Int = 2,
                      file: StaticString = #filePath, line: UInt = #line) throws -> URL {
        let recipe = "tiny-\(name).json"
        try write(tinyRecipe(aggregator: aggregator, epochs: epochs), recipe, in: directory)
        let output = try CLI.run(["run", recipe, "--quiet", "--set", "output.name=\(name)"], cwd: directory, file: file, line: line)
        XCTAssertEqual(output.status, 0, "training \(name) failed: \(output.stderr)", file: file, line: line)
        return directory.appendingPathComponent("runs/\(name)")
    }
}

/// Parses a JSON file (or text) into Foundation objects, failing the test if it is not JSON.
func jsonObject(at url: URL, file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
    try jsonObject(Data(contentsOf: url), origin: url.lastPathComponent, file: file, line: line)
}

func jsonObject(_ data: Data, origin: String, file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
    let value = try JSONSerialization.jsonObject(with: data)
    guard let object = value as? [String: Any] else {
        XCTFail("\(origin): expected a JSON object, got \(type(of: value))", file: file, line: line)
        return [:]
    }
    return object
}
