import Foundation
import XCTest

/// A recipe that is not valid JSON: `run` exits 2 with one line naming the
/// file and the line and column, and writes nothing (no run directory).
final class RecipeSyntaxErrorTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = try makeTemporaryDirectory(for: self)
    }

    private func runError(_ bytes: [UInt8], file: StaticString = #filePath, line: UInt = #line) throws -> String {
        try Data(bytes).write(to: directory.appendingPathComponent("bad.json"))
        let message = try assertConfigError(["run", "bad.json"], in: directory, file: file, line: line)
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.appendingPathComponent("runs").path),
                       "no run directory for a bad recipe", file: file, line: line)
        return message
    }

    private func runError(_ text: String, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        try runError(Array(text.utf8), file: file, line: line)
    }

    func testTruncatedRecipe() throws {
        let message = try runError("{\n  \"data\": {\"type\": \"homogeneous\", \"samples\": 60,\n")
        XCTAssertTrue(message.hasPrefix("bad.json:2:"), message)
        XCTAssertTrue(message.contains("unexpected end of file"), message)
        XCTAssertTrue(message.hasSuffix("is never closed"), message)
    }

    func testTruncatedInsideAString() throws {
        let message = try runError("{\n  \"output\": {\"name\": \"unfinished")
        XCTAssertTrue(message.hasPrefix("bad.json:2:"), message)
        XCTAssertTrue(message.hasSuffix("unexpected end of file: string opened at line 2, column 22 is never closed"), message)
    }

    func testTrailingComma() throws {
        let message = try runError(#"{"data": {"type": "homogeneous", "samples": 60,}, "model": "eca-mlp"}"#)
        XCTAssertEqual(message, "bad.json:1:47: trailing comma before '}' is not allowed")
    }

    func testTrailingCommaInArray() throws {
        let message = try runError("{\n  \"model\": {\"encoder\": {\"widths\": [8, 8,]}}\n}")
        XCTAssertEqual(message, "bad.json:2:40: trailing comma before ']' is not allowed")
    }

    func testInvalidUTF8() throws {
        let message = try runError(Array(#"{"output": {"name": ""#.utf8) + [0xC3, 0x28] + Array(#""}}"#.utf8))
        XCTAssertTrue(message.hasPrefix("bad.json:1:"), message)
        XCTAssertTrue(message.contains("invalid UTF-8"), message)
    }

    func testEmptyFile() throws {
        XCTAssertEqual(try runError(""), "bad.json: file is empty")
    }

    func testDirectoryInsteadOfFile() throws {
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("recipe.json"), withIntermediateDirectories: false)
        let message = try assertConfigError(["run", "recipe.json"], in: directory)
        XCTAssertEqual(message, "recipe.json: is a directory, not a recipe file")
    }

    func testMissingFile() throws {
        XCTAssertEqual(try assertConfigError(["run", "absent.json"], in: directory), "absent.json: no such file")
    }

    func testDeeplyNestedArrays() throws {
        let depth = 500
        let text = "{\"data\": " + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "}"
        let message = try runError(text)
        XCTAssertTrue(message.hasPrefix("bad.json:1:"), message)
        XCTAssertTrue(message.hasSuffix("nested deeper than 64 levels"), message)
    }

    func testNaNLiteral() throws {
        XCTAssertEqual(try runError(#"{"optimizer": {"lr": NaN}}"#), "bad.json:1:22: NaN is not valid JSON (JSON has no NaN or Infinity)")
    }

    func testDuplicateKey() throws {
        XCTAssertEqual(try runError(#"{"train": {"epochs": 2, "epochs": 3}}"#), #"bad.json:1:25: duplicate key "epochs""#)
    }

    func testTopLevelArray() throws {
        XCTAssertEqual(try runError("[1, 2]"), "bad.json: a recipe must be a JSON object, got array")
    }

    func testValidateReportsTheSameError() throws {
        try write(#"{"data": {"type": "homogeneous",}}"#, "bad.json", in: directory)
        let message = try assertConfigError(["validate", "bad.json"], in: directory)
        XCTAssertEqual(message, "bad.json:1:32: trailing comma before '}' is not allowed")
    }
}
