import EcaZoo
import XCTest

/// Pins the exact message for each way a recipe file can fail to be JSON.
final class RecipeSyntaxErrorTests: XCTestCase {
    private func error(_ text: String, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        RecipeTestFiles.parseError(atPath: try RecipeTestFiles.write(text, for: self), file: file, line: line)
    }

    private func error(bytes: [UInt8], file: StaticString = #filePath, line: UInt = #line) throws -> String {
        RecipeTestFiles.parseError(atPath: try RecipeTestFiles.write(bytes, for: self), file: file, line: line)
    }

    // MARK: - Files

    func testEmptyFile() throws {
        XCTAssertEqual(try error(""), "x.json: file is empty")
    }

    func testOnlyWhitespaceAndComments() throws {
        XCTAssertEqual(try error("  // nothing here\n\n"), "x.json: file is empty (only whitespace and comments)")
    }

    func testDirectory() throws {
        let folder = try RecipeTestFiles.makeFolder(for: self)
        XCTAssertThrowsError(try JSONParser.parse(file: folder.path)) { error in
            XCTAssertEqual("\(error)", "\(folder.path): is a directory, not a recipe file")
        }
    }

    func testMissingFile() throws {
        let path = try RecipeTestFiles.makeFolder(for: self).appendingPathComponent("absent.json").path
        XCTAssertThrowsError(try JSONParser.parse(file: path)) { error in
            XCTAssertEqual("\(error)", "\(path): no such file")
        }
    }

    // MARK: - Truncation

    func testTruncatedInsideArray() throws {
        XCTAssertEqual(
            try error("{\n  \"sizes\": [1, 2,\n"),
            "x.json:2:18: unexpected end of file: '[' opened at line 2, column 12 is never closed")
    }

    func testTruncatedAfterValue() throws {
        XCTAssertEqual(
            try error("{\n  \"a\": 1\n"),
            "x.json:2:9: unexpected end of file: '{' opened at line 1, column 1 is never closed")
    }

    func testTruncatedInsideString() throws {
        XCTAssertEqual(
            try error("{\"name\": \"homog"),
            "x.json:1:16: unexpected end of file: string opened at line 1, column 10 is never closed")
    }

    func testTruncatedAfterKey() throws {
        XCTAssertEqual(
            try error("{\"name\":"),
            "x.json:1:9: unexpected end of file: '{' opened at line 1, column 1 is never closed")
    }

    // MARK: - Trailing commas

    func testTrailingCommaInArray() throws {
        XCTAssertEqual(try error("{\"a\": [1, 2,]}"), "x.json:1:12: trailing comma before ']' is not allowed")
    }

    func testTrailingCommaInObject() throws {
        XCTAssertEqual(
            try error("{\n  \"a\": 1,\n  \"b\": 2,\n}\n"),
            "x.json:3:9: trailing comma before '}' is not allowed")
    }

    func testTrailingCommaAfterComment() throws {
        XCTAssertEqual(
            try error("[1, // one\n 2, /* two */\n]"),
            "x.json:2:3: trailing comma before ']' is not allowed")
    }

    // MARK: - Encoding

    func testBadUTF8InString() throws {
        XCTAssertEqual(
            try error(bytes: Array("{\"name\": \"ab".utf8) + [0xFF, 0xFE] + Array("\"}".utf8)),
            "x.json:1:13: invalid UTF-8 byte 0xFF")
    }

    func testOverlongUTF8ThatJSONCAccepts() throws {
        XCTAssertEqual(
            try error(bytes: Array("[\"".utf8) + [0xC0, 0xAF] + Array("\"]".utf8)),
            "x.json:1:3: invalid UTF-8 byte 0xC0")
    }

    func testBadUTF8InComment() throws {
        XCTAssertEqual(
            try error(bytes: Array("// caf".utf8) + [0xE9] + Array("\n{}".utf8)),
            "x.json:1:7: invalid UTF-8 byte 0xE9")
    }

    func testColumnsCountCharactersNotBytes() throws {
        XCTAssertEqual(try error("{\"é\": 1 2}"), "x.json:1:9: expected ',' or '}' after a value")
    }

    // MARK: - Depth

    func testThousandDeepArraysGiveOneClearMessage() throws {
        let text = String(repeating: "[", count: 1000) + String(repeating: "]", count: 1000)
        XCTAssertEqual(try error(text), "x.json:1:65: nested deeper than 64 levels")
    }

    func testSixtyFourLevelsAreAllowed() throws {
        let text = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        let path = try RecipeTestFiles.write(text, for: self)
        XCTAssertNoThrow(try JSONParser.parse(file: path))
    }

    // MARK: - Positions and other mistakes

    func testLineAndColumnOnLineThree() throws {
        XCTAssertEqual(
            try error("{\n  \"a\": 1,\n  \"b\" 2\n}\n"),
            "x.json:3:7: expected ':' after a key")
    }

    func testTrailingGarbage() throws {
        XCTAssertEqual(try error("{\"a\": 1}\n}"), "x.json:2:1: unexpected '}' after the end of the JSON value")
        XCTAssertEqual(try error("{} {}"), "x.json:1:4: unexpected '{' after the end of the JSON value")
    }

    func testMissingComma() throws {
        XCTAssertEqual(try error("[1 2]"), "x.json:1:4: expected ',' or ']' after an array element")
    }

    func testMismatchedBracket() throws {
        XCTAssertEqual(
            try error("{\"a\": [1, 2}"),
            "x.json:1:12: '}' does not match '[' opened at line 1, column 7")
    }

    func testDuplicateKey() throws {
        XCTAssertEqual(try error("{\"lr\": 1, \"wd\": 0, \"lr\": 2}"), "x.json:1:20: duplicate key \"lr\"")
        XCTAssertEqual(try error("{\"a\": 1, \"\\u0061\": 2}"), "x.json:1:10: duplicate key \"a\"")
    }

    func testUnquotedKey() throws {
        XCTAssertEqual(try error("{lr: 1}"), "x.json:1:2: object key must be a string in double quotes, got lr")
    }

    func testSingleQuotes() throws {
        XCTAssertEqual(try error("{\"a\": 'b'}"), "x.json:1:7: strings must be in double quotes, not single quotes")
    }

    func testNaNAndInfinity() throws {
        XCTAssertEqual(try error("[NaN]"), "x.json:1:2: NaN is not valid JSON (JSON has no NaN or Infinity)")
        XCTAssertEqual(try error("[-Infinity]"), "x.json:1:2: -Infinity is not valid JSON (JSON has no NaN or Infinity)")
    }

    func testCapitalisedLiteral() throws {
        XCTAssertEqual(try error("{\"a\": True}"), "x.json:1:7: True must be written in lowercase: true")
    }

    func testBareWord() throws {
        XCTAssertEqual(try error("{\"a\": softmax}"), "x.json:1:7: unexpected word softmax (strings must be in double quotes)")
    }

    func testCurlyQuotes() throws {
        XCTAssertEqual(try error("{\"a\": \u{201C}b\u{201D}}"), "x.json:1:7: unexpected '\u{201C}'")
    }

    func testEscapedMultiByteCharacter() throws {
        XCTAssertEqual(try error("[\"\\é\"]"), "x.json:1:3: invalid escape '\\é' in a string")
    }

    func testInvalidNumbers() throws {
        XCTAssertEqual(try error("[01]"), "x.json:1:2: invalid number 01")
        XCTAssertEqual(try error("[1.]"), "x.json:1:2: invalid number 1.")
        XCTAssertEqual(try error("[0x10]"), "x.json:1:2: invalid number 0x10")
    }

    func testNumbersOutOfRange() throws {
        XCTAssertEqual(try error("[1e400]"), "x.json:1:2: number 1e400 is out of range")
        XCTAssertEqual(
            try error("[18446744073709551616]"),
            "x.json:1:2: integer 18446744073709551616 is too large to hold exactly (the limit is 2^53 = 9007199254740992)")
    }

    func testLineBreakInString() throws {
        XCTAssertEqual(
            try error("{\"a\": \"abc,\n \"b\": 1}"),
            "x.json:1:7: string is not closed before the end of the line")
    }

    func testTabInString() throws {
        XCTAssertEqual(
            try error("[\"a\tb\"]"),
            "x.json:1:4: control character U+0009 inside a string must be written as an escape")
    }

    func testBadEscape() throws {
        XCTAssertEqual(try error("[\"a\\qb\"]"), "x.json:1:4: invalid escape '\\q' in a string")
        XCTAssertEqual(
            try error("[\"\\u12\"]"),
            "x.json:1:3: invalid escape in a string: \\u must be followed by four hex digits")
    }

    func testUnclosedBlockComment() throws {
        XCTAssertEqual(try error("{} /* note"), "x.json:1:4: comment is never closed (missing '*/')")
    }

    func testEarliestErrorWins() throws {
        // json-c finds the missing ':' on line 1; the scanner's trailing comma
        // on line 2 comes later, so it is not the one reported.
        XCTAssertEqual(try error("{\"a\" 1,\n \"b\": [1,]}"), "x.json:1:6: expected ':' after a key")
    }

    func testTextOriginNamesTheOrigin() {
        XCTAssertThrowsError(try JSONParser.parse(text: "[1,]", origin: "--set")) { error in
            XCTAssertEqual("\(error)", "--set:1:3: trailing comma before ']' is not allowed")
        }
    }
}
