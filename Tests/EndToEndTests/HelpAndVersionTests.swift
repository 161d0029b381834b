import Foundation
import XCTest

/// Help, version and mistakes on the command line itself.
final class HelpAndVersionTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = try makeTemporaryDirectory(for: self)
    }

    func testVersion() throws {
        for flag in ["--version", "-V", "version"] {
            let output = try CLI.run([flag], cwd: directory)
            XCTAssertEqual(output.status, 0, flag)
            XCTAssertTrue(output.stdout.hasPrefix("eca-zoo "), output.stdout)
            XCTAssertEqual(output.stdout.split(separator: "\n").count, 1, output.stdout)
            XCTAssertNotNil(output.stdout.range(of: #"^eca-zoo \d+\.\d+\.\d+\n$"#, options: .regularExpression), output.stdout)
        }
    }

    /// The commands `--help` lists: the indented lines between "commands:" and the next blank line.
    private func listedCommands() throws -> [String] {
        let lines = try CLI.run(["--help"], cwd: directory).stdout.split(separator: "\n", omittingEmptySubsequences: false)
        guard let start = lines.firstIndex(of: "commands:") else { return [] }
        return lines[(start + 1)...].prefix { !$0.isEmpty }.compactMap { $0.split(separator: " ").first.map(String.init) }
    }

    func testHelpListsEveryCommandAndTheExitStatuses() throws {
        let output = try CLI.run(["--help"], cwd: directory)
        XCTAssertEqual(output.status, 0)
        XCTAssertEqual(output.stderr, "")
        let commands = try listedCommands()
        for command in ["run", "validate", "list", "predict", "plot", "data", "bench"] {
            XCTAssertTrue(commands.contains(command), "help lacks \(command): \(commands)")
        }
        XCTAssertTrue(output.stdout.contains("Exit status: 0 ok, 1 runtime failure"), output.stdout)
    }

    /// Every command the help lists, including ones added later, answers `--help`.
    func testEveryCommandHasHelp() throws {
        let commands = try listedCommands()
        XCTAssertFalse(commands.isEmpty)
        for command in commands {
            let output = try CLI.run([command, "--help"], cwd: directory)
            XCTAssertEqual(output.status, 0, command)
            XCTAssertTrue(output.stdout.hasPrefix("usage: eca-zoo \(command)"), "\(command) --help: \(output.stdout)")
            XCTAssertEqual(contents(of: directory), [], "\(command) --help wrote something")
        }
    }

    func testNoArgumentsPrintsUsageAndExitsTwo() throws {
        let output = try CLI.run([], cwd: directory)
        XCTAssertEqual(output.status, 2)
        XCTAssertEqual(output.stdout, "")
        XCTAssertTrue(output.stderr.contains("usage: eca-zoo <command> [options]"), output.stderr)
    }

    func testUnknownCommand() throws {
        XCTAssertEqual(try assertConfigError(["frobnicate"], in: directory), #"unknown command "frobnicate"; run `eca-zoo --help`"#)
        XCTAssertEqual(try assertConfigError(["valdate", "x.json"], in: directory),
                       #"unknown command "valdate"; did you mean "validate"?; run `eca-zoo --help`"#)
    }

    func testUnknownOption() throws {
        try write(tinyRecipe(), "tiny.json", in: directory)
        XCTAssertEqual(try assertConfigError(["run", "tiny.json", "--epochs", "3"], in: directory),
                       "run: unknown option --epochs; run `eca-zoo run --help`")
        XCTAssertEqual(try assertConfigError(["validate", "tiny.json", "--verbose"], in: directory),
                       "validate: unknown option --verbose; run `eca-zoo validate --help`")
    }

    func testFlagGivenAValue() throws {
        try write(tinyRecipe(), "tiny.json", in: directory)
        XCTAssertEqual(try assertConfigError(["run", "tiny.json", "--quiet=yes"], in: directory),
                       "run: --quiet takes no value")
    }

    func testWrongNumberOfRecipes() throws {
        try write(tinyRecipe(), "tiny.json", in: directory)
        XCTAssertEqual(try assertConfigError(["run"], in: directory),
                       "run: expected one recipe file, got 0; usage: eca-zoo run RECIPE.json [--set path=value]...")
        XCTAssertEqual(try assertConfigError(["run", "tiny.json", "tiny.json"], in: directory),
                       "run: expected one recipe file, got 2; usage: eca-zoo run RECIPE.json [--set path=value]...")
    }

    func testBenchRejectsANegativeCount() throws {
        XCTAssertEqual(try assertConfigError(["bench", "--steps", "-1"], in: directory),
                       "bench: --steps must be a whole number ≥ 0, got -1")
    }
}
