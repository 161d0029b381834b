import EcaZoo
import XCTest

/// What the parser accepts, and the values it produces.
final class JSONParserTests: XCTestCase {
    private func parse(_ text: String) throws -> JSONValue {
        try JSONParser.parse(text: text, origin: "x.json")
    }

    func testCommentsAreAccepted() throws {
        let text = """
            // A recipe with comments.
            {
              /* block
                 comment */ "a": 1, // trailing
              "b": "not // a comment", "c": "/* nor this */"
            }
            """
        XCTAssertEqual(try parse(text), ["a": 1, "b": "not // a comment", "c": "/* nor this */"])
    }

    func testCommentsInAFile() throws {
        let path = try RecipeTestFiles.write("{\"epochs\": 3} // done\n", for: self)
        XCTAssertEqual(try JSONParser.parse(file: path), ["epochs": 3])
    }

    func testKeysKeepDocumentOrder() throws {
        let value = try parse("{\"zeta\": 1, \"alpha\": 2, \"mid\": {\"y\": 0, \"x\": 0}}")
        XCTAssertEqual(value.objectValue?.keys, ["zeta", "alpha", "mid"])
        XCTAssertEqual(value["mid"]?.objectValue?.keys, ["y", "x"])
    }

    func testAllKinds() throws {
        let value = try parse("[null, true, false, 0, -0, 3, -2.5, 1e-3, 1E+2, \"s\", [], {}]")
        XCTAssertEqual(value, [nil, true, false, 0, 0, 3, -2.5, 0.001, 100, "s", [], [:]])
    }

    func testIntegersUpToTwoToTheFiftyThreeAreExact() throws {
        XCTAssertEqual(try parse("[9007199254740992, -9007199254740992]"), [9_007_199_254_740_992, -9_007_199_254_740_992])
    }

    func testStringEscapesAndUnicode() throws {
        let value = try parse(#"["\"\\\/\b\f\n\r\t", "\u00e9\ud83d\ude00", "é😀", "a\u0000b"]"#)
        XCTAssertEqual(value, ["\"\\/\u{08}\u{0C}\n\r\t", "é😀", "é😀", "a\u{0}b"])
    }

    func testByteOrderMarkIsIgnored() throws {
        let path = try RecipeTestFiles.write([0xEF, 0xBB, 0xBF] + Array("{\"a\": 1}".utf8), for: self)
        XCTAssertEqual(try JSONParser.parse(file: path), ["a": 1])
    }

    func testCRLFLineEndings() throws {
        XCTAssertEqual(try parse("{\r\n  \"a\": 1\r\n}\r\n"), ["a": 1])
    }

    func testTopLevelScalarsAreAllowed() throws {
        XCTAssertEqual(try parse("12"), 12)
        XCTAssertEqual(try parse(" \"x\" "), "x")
    }
}
