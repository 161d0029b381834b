import EcaZoo
import XCTest

/// Pins the writer's output byte for byte, and that it reads back unchanged.
final class JSONWriterTests: XCTestCase {
    func testCompact() {
        let value: JSONValue = ["epoch": 3, "loss": 0.25, "ok": true, "note": nil, "sizes": [64, 64], "empty": [:]]
        XCTAssertEqual(
            JSONWriter.compact(value),
            #"{"epoch":3,"loss":0.25,"ok":true,"note":null,"sizes":[64,64],"empty":{}}"#)
        XCTAssertEqual(value.description, JSONWriter.compact(value))
    }

    func testPretty() {
        let value: JSONValue = [
            "model": ["type": "softmax", "heads": 4, "sizes": [64, 64]],
            "splits": [["name": "train"], ["name": "test"]],
            "empty_array": [],
            "empty_object": [:],
        ]
        XCTAssertEqual(
            JSONWriter.pretty(value),
            """
            {
              "model": {
                "type": "softmax",
                "heads": 4,
                "sizes": [64, 64]
              },
              "splits": [
                {
                  "name": "train"
                },
                {
                  "name": "test"
                }
              ],
              "empty_array": [],
              "empty_object": {}
            }
            """)
    }

    func testLongScalarArraysGoOnePerLine() {
        let value = JSONValue.array((0..<40).map { .number(Double($0)) })
        let lines = JSONWriter.pretty(value).split(separator: "\n")
        XCTAssertEqual(lines.count, 42)
        XCTAssertEqual(lines[1], "  0,")
        XCTAssertEqual(lines[40], "  39")
    }

    func testNumbers() {
        let cases: [(Double, String)] = [
            (0, "0"), (-0.0, "0"), (1, "1"), (-3, "-3"), (1e15, "1000000000000000"),
            (9_007_199_254_740_992, "9007199254740992"), (1e20, "1e+20"), (0.1, "0.1"),
            (1.5, "1.5"), (-2.25, "-2.25"), (1e-5, "1e-05"), (1.0 / 3.0, "0.3333333333333333"),
            (.nan, "null"), (.infinity, "null"), (-.infinity, "null"),
        ]
        for (number, text) in cases {
            XCTAssertEqual(JSONWriter.compact(.number(number)), text, "\(number)")
        }
    }

    func testStringEscaping() {
        XCTAssertEqual(
            JSONWriter.quote("a\"b\\c\nd\re\tf\u{08}\u{0C}\u{01}\u{1F}é😀/"),
            #""a\"b\\c\nd\re\tf\b\f\u0001\u001Fé😀/""#)
    }

    func testRoundTripThroughParser() throws {
        let value: JSONValue = [
            "zeta": 1, "alpha": [0.1, -2.5e-8, 1e+300, 123456789, -0.0],
            "text": "quote \" backslash \\ newline \n tab \t control \u{01} unicode é😀",
            "nested": ["deep": [[[[nil, true, false]]]], "empty": [], "object": [:]],
        ]
        for text in [JSONWriter.pretty(value), JSONWriter.compact(value)] {
            let parsed = try JSONParser.parse(text: text, origin: "written")
            XCTAssertEqual(parsed, value)
            XCTAssertEqual(JSONWriter.pretty(parsed), JSONWriter.pretty(value))
        }
    }

    func testRoundTripKeepsEveryDoubleExact() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<1000 {
            let number = Double(bitPattern: generator.next() & 0x7FEF_FFFF_FFFF_FFFF)
            let parsed = try JSONParser.parse(text: JSONWriter.compact([.number(number)]), origin: "written")
            XCTAssertEqual(parsed[0]?.doubleValue, number)
        }
    }
}
