import EcaZoo
import XCTest

/// Damaged recipes must give a RecipeError with a position inside the file,
/// never a crash or a silently wrong value.
final class RecipeParserRobustnessTests: XCTestCase {
    private let sample = """
        // A small recipe.
        {
          "data": {"source": "synthetic", "sizes": [8, 16], "splits": [0.8, 0.2]},
          /* the model */
          "model": {"aggregator": {"type": "softmax", "t_min": 0.1, "dats": true, "gamma": null}},
          "name": "caf\\u00e9 \\"quoted\\" é😀"
        }

        """

    func testSampleParses() throws {
        let value = try JSONParser.parse(text: sample, origin: "sample.json")
        XCTAssertEqual(value["model"]?["aggregator"]?["t_min"], 0.1)
        XCTAssertEqual(value["name"], "café \"quoted\" é😀")
    }

    func testRandomDamageNeverCrashes() throws {
        let original = Array(sample.utf8)
        let pieces: [[UInt8]] = [
            [UInt8(ascii: ",")], [UInt8(ascii: "]")], [UInt8(ascii: "}")], [UInt8(ascii: "[")], [UInt8(ascii: "{")],
            [UInt8(ascii: "\"")], [UInt8(ascii: "\\")], [UInt8(ascii: "/")], [UInt8(ascii: "*")], [UInt8(ascii: ":")],
            [0x0A], [0x00], [0xFF], [0xC3], [0xE2, 0x80], Array("1e999".utf8), Array("NaN".utf8), Array("\\u".utf8),
        ]
        let folder = try RecipeTestFiles.makeFolder(for: self)
        // A fixed linear congruential generator, so any failure reproduces.
        var state: UInt64 = 0x5EED
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        var errors = 0
        for trial in 0..<3000 {
            var bytes = original
            for _ in 0...next(3) {
                let at = next(bytes.count)
                switch next(3) {
                case 0: bytes.remove(at: at)
                case 1: bytes.insert(contentsOf: pieces[next(pieces.count)], at: at)
                default: bytes.removeSubrange(at..<min(bytes.count, at + 1 + next(20)))
                }
            }
            do {
                // Files keep invalid UTF-8 intact but are slow to write, so
                // most trials go through text (where Swift repairs the bytes).
                if trial % 20 == 0 {
                    let url = folder.appendingPathComponent("trial\(trial).json")
                    try Data(bytes).write(to: url)
                    _ = try JSONParser.parse(file: url.path)
                } else {
                    bytes = Array(String(decoding: bytes, as: UTF8.self).utf8)
                    _ = try JSONParser.parse(text: String(decoding: bytes, as: UTF8.self), origin: "damaged.json")
                }
            } catch let error as RecipeError {
                errors += 1
                XCTAssertFalse(error.message.isEmpty)
                if let position = error.position {
                    let lineCount = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).count
                    XCTAssertTrue((1...lineCount).contains(position.line), "\(error)")
                    XCTAssertGreaterThanOrEqual(position.column, 1, "\(error)")
                }
            }
        }
        XCTAssertGreaterThan(errors, 2000)
    }
}
