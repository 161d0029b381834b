import EcaZoo
import XCTest

/// Pins ConfigReader's messages and what it records in `resolved`.
final class ConfigReaderTests: XCTestCase {
    private let file = "recipes/x.json"

    private func reader(_ text: String, path: String = "model.aggregator") throws -> ConfigReader {
        try ConfigReader(JSONParser.parse(text: text, origin: file), file: file, path: path)
    }

    private func message(_ body: () throws -> Void, file: StaticString = #filePath, line: UInt = #line) -> String {
        do {
            try body()
            XCTFail("expected an error", file: file, line: line)
            return ""
        } catch {
            XCTAssertTrue(error is RecipeError, "\(type(of: error))", file: file, line: line)
            return "\(error)"
        }
    }

    // MARK: - Values

    func testReadsValuesAndDefaults() throws {
        let r = try reader(#"{"t_min": 0.5, "heads": 4, "dats": false, "scorer": "gated"}"#)
        XCTAssertEqual(try r.double("t_min", default: 0.1, where: .greaterThan(0)), 0.5)
        XCTAssertEqual(try r.double("t_max", default: 2), 2)
        XCTAssertEqual(try r.int("heads", default: 1, where: .atLeast(1)), 4)
        XCTAssertEqual(try r.bool("dats", default: true), false)
        XCTAssertEqual(try r.string("scorer", default: "tanh", oneOf: ["linear", "tanh", "gated"]), "gated")
        XCTAssertNil(try r.optionalDouble("gamma_max", where: .greaterThan(1)))
        XCTAssertNoThrow(try r.finish())
    }

    func testNullTakesTheDefault() throws {
        let r = try reader(#"{"t_min": null, "gamma_max": null}"#)
        XCTAssertEqual(try r.double("t_min", default: 0.1), 0.1)
        XCTAssertNil(try r.optionalDouble("gamma_max"))
    }

    func testIntegerValuedDoubleIsAnInt() throws {
        XCTAssertEqual(try reader(#"{"heads": 2.0}"#).int("heads"), 2)
    }

    func testChoice() throws {
        enum Scorer: String, CaseIterable { case linear, tanh, gated }
        let r = try reader(#"{"scorer": "linear"}"#)
        XCTAssertEqual(try r.choice("scorer", default: Scorer.tanh), .linear)
        XCTAssertEqual(try r.choice("other", default: Scorer.tanh), .tanh)
        XCTAssertEqual(
            message { let _: Scorer = try self.reader(#"{"scorer": "gate"}"#).choice("scorer") },
            #"recipes/x.json: model.aggregator.scorer: must be one of "linear", "tanh", "gated", got "gate"; did you mean "gated"?"#)
    }

    // MARK: - Errors

    func testNotAnObject() {
        XCTAssertEqual(
            message { _ = try ConfigReader(.number(3), file: self.file, path: "model.aggregator") },
            "recipes/x.json: model.aggregator: expected an object, got number 3")
        XCTAssertEqual(
            message { _ = try ConfigReader([1, 2], file: self.file) },
            "recipes/x.json: expected an object, got array")
    }

    func testWrongType() {
        XCTAssertEqual(
            message { _ = try self.reader(#"{"t_min": "abc"}"#).double("t_min", default: 0.1) },
            #"recipes/x.json: model.aggregator.t_min: expected a number, got string "abc""#)
        XCTAssertEqual(
            message { _ = try self.reader(#"{"dats": "yes"}"#).bool("dats", default: true) },
            #"recipes/x.json: model.aggregator.dats: expected true or false, got string "yes""#)
        XCTAssertEqual(
            message { _ = try self.reader(#"{"scorer": 1}"#).string("scorer") },
            "recipes/x.json: model.aggregator.scorer: expected a string, got number 1")
        XCTAssertEqual(
            message { _ = try self.reader(#"{"split": [1]}"#).object("split") },
            "recipes/x.json: model.aggregator.split: expected an object, got array")
    }

    func testOutOfRange() {
        XCTAssertEqual(
            message { _ = try self.reader(#"{"t_min": -1}"#).double("t_min", default: 0.1, where: .greaterThan(0)) },
            "recipes/x.json: model.aggregator.t_min: must be > 0, got -1")
        XCTAssertEqual(
            message { _ = try self.reader(#"{"p": 1.5}"#).double("p", where: .in(0...1)) },
            "recipes/x.json: model.aggregator.p: must be in [0, 1], got 1.5")
        XCTAssertEqual(
            message { _ = try self.reader(#"{"p": 1}"#).double("p", where: .in(0..<1)) },
            "recipes/x.json: model.aggregator.p: must be in [0, 1), got 1")
        XCTAssertEqual(
            message { _ = try self.reader(#"{"heads": 0}"#).int("heads", default: 1, where: .atLeast(1)) },
            "recipes/x.json: model.aggregator.heads: must be >= 1, got 0")
        XCTAssertEqual(
            message { _ = try self.reader(#"{"t": 2}"#).double("t", where: .greaterThan(0).and(.atMost(1))) },
            "recipes/x.json: model.aggregator.t: must be in (0, 1], got 2")
    }

    func testIntegerCheck() {
        XCTAssertEqual(
            message { _ = try self.reader(#"{"heads": 1.5}"#).int("heads", default: 1, where: .atLeast(1)) },
            "recipes/x.json: model.aggregator.heads: must be an integer, got 1.5")
    }

    func testMissingRequiredKey() {
        XCTAssertEqual(
            message { _ = try self.reader("{}").double("t_min") },
            #"recipes/x.json: model.aggregator: missing required key "t_min""#)
        XCTAssertEqual(
            message { _ = try self.reader("{}", path: "").string("name") },
            #"recipes/x.json: missing required key "name""#)
    }

    func testOneOfListsAllowedValues() {
        XCTAssertEqual(
            message { _ = try self.reader(#"{"scorer": "cubic"}"#).string("scorer", oneOf: ["linear", "tanh", "gated"]) },
            #"recipes/x.json: model.aggregator.scorer: must be one of "linear", "tanh", "gated", got "cubic""#)
    }

    func testCustomError() throws {
        let r = try reader(#"{"t_min": 2, "t_max": 1}"#)
        XCTAssertEqual(
            r.error(at: "t_max", "must be >= t_min (2), got 1").description,
            "recipes/x.json: model.aggregator.t_max: must be >= t_min (2), got 1")
    }

    // MARK: - Unknown keys

    func testUnknownKeyWithSuggestion() throws {
        let r = try reader(#"{"t_mn": 0.2, "heads": 2}"#)
        _ = try r.double("t_min", default: 0.1)
        _ = try r.int("heads", default: 1)
        XCTAssertEqual(
            message { try r.finish() },
            #"recipes/x.json: model.aggregator.t_mn: unknown key; did you mean "t_min"?"#)
    }

    func testUnknownKeySwappedLetters() throws {
        let r = try reader(#"{"haeds": 2}"#)
        _ = try r.int("heads", default: 1)
        XCTAssertEqual(message { try r.finish() }, #"recipes/x.json: model.aggregator.haeds: unknown key; did you mean "heads"?"#)
    }

    func testUnknownKeyListsKnownKeys() throws {
        let r = try reader(#"{"temperature": 1}"#)
        _ = try r.double("t_min", default: 0.1)
        _ = try r.int("heads", default: 1)
        XCTAssertEqual(
            message { try r.finish() },
            #"recipes/x.json: model.aggregator.temperature: unknown key; known keys are "t_min", "heads""#)
    }

    func testUnknownKeyInChildIsFoundByParent() throws {
        let r = try reader(#"{"split": {"ratio": 0.5, "seeed": 1}}"#, path: "")
        let split = try r.object("split")
        _ = try split.double("ratio")
        _ = try split.int("seed", default: 0)
        XCTAssertEqual(message { try r.finish() }, #"recipes/x.json: split.seeed: unknown key; did you mean "seed"?"#)
    }

    func testUnknownKeyInObjectThatTakesNone() throws {
        let r = try reader(#"{"x": 1}"#)
        XCTAssertEqual(message { try r.finish() }, "recipes/x.json: model.aggregator.x: unknown key; this object takes no keys")
    }

    // MARK: - Arrays

    func testArrays() throws {
        let r = try reader(#"{"sizes": [64, 32], "rates": [0.1, 0.2], "names": ["a", "b"], "splits": [{"f": 0.8}, {"f": 0.2}]}"#, path: "data")
        XCTAssertEqual(try r.ints("sizes", where: .atLeast(1), minCount: 1), [64, 32])
        XCTAssertEqual(try r.doubles("rates"), [0.1, 0.2])
        XCTAssertEqual(try r.strings("names", oneOf: ["a", "b"]), ["a", "b"])
        let splits = try r.objects("splits")
        XCTAssertEqual(try splits.map { try $0.double("f") }, [0.8, 0.2])
        XCTAssertEqual(splits.map(\.path), ["data.splits[0]", "data.splits[1]"])
        XCTAssertEqual(try r.ints("missing", default: [1, 2]), [1, 2])
        XCTAssertEqual(try r.objects("absent").count, 0)
        XCTAssertNoThrow(try r.finish())
    }

    func testArrayErrorsNameTheElement() {
        XCTAssertEqual(
            message { _ = try self.reader(#"{"sizes": [64, 0, 32]}"#, path: "data").ints("sizes", where: .atLeast(1)) },
            "recipes/x.json: data.sizes[1]: must be >= 1, got 0")
        XCTAssertEqual(
            message { _ = try self.reader(#"{"sizes": [64, "x"]}"#, path: "data").ints("sizes") },
            #"recipes/x.json: data.sizes[1]: expected a number, got string "x""#)
        XCTAssertEqual(
            message { _ = try self.reader(#"{"sizes": 64}"#, path: "data").ints("sizes") },
            "recipes/x.json: data.sizes: expected an array, got number 64")
        XCTAssertEqual(
            message { _ = try self.reader(#"{"sizes": []}"#, path: "data").ints("sizes", minCount: 1) },
            "recipes/x.json: data.sizes: must have at least 1 element, got 0")
        XCTAssertEqual(
            message { _ = try self.reader(#"{"sizes": [1, 2, 3]}"#, path: "data").ints("sizes", maxCount: 2) },
            "recipes/x.json: data.sizes: must have at most 2 elements, got 3")
        XCTAssertEqual(
            message {
                let splits = try self.reader(#"{"splits": [{"f": 0.8}, {"f": -1}]}"#, path: "data").objects("splits")
                for split in splits { _ = try split.double("f", where: .nonNegative) }
            },
            "recipes/x.json: data.splits[1].f: must be >= 0, got -1")
    }

    // MARK: - Resolved output

    func testResolvedIncludesDefaultsInReadingOrder() throws {
        let r = try reader(#"{"split": {"ratio": 0.5}, "heads": 2, "extra": [1, {"a": 2}]}"#, path: "")
        _ = try r.double("t_min", default: 0.1)
        _ = try r.int("heads", default: 1)
        _ = try r.bool("dats", default: true)
        _ = try r.string("scorer", default: "tanh")
        _ = try r.optionalDouble("gamma_max")
        let split = try r.object("split")
        _ = try split.double("ratio", default: 0.8)
        _ = try split.int("seed", default: 7)
        let absent = try r.object("optimizer")
        _ = try absent.double("lr", default: 0.001)
        _ = try r.ints("sizes", default: [64, 64])
        _ = r.value("extra")
        try r.finish()
        XCTAssertEqual(
            JSONWriter.pretty(.object(r.resolved)),
            """
            {
              "t_min": 0.1,
              "heads": 2,
              "dats": true,
              "scorer": "tanh",
              "gamma_max": null,
              "split": {
                "ratio": 0.5,
                "seed": 7
              },
              "optimizer": {
                "lr": 0.001
              },
              "sizes": [64, 64],
              "extra": [
                1,
                {
                  "a": 2
                }
              ]
            }
            """)
    }

    func testResolvedCanBeReadAgain() throws {
        let r = try reader(#"{"heads": 2}"#, path: "")
        _ = try r.int("heads", default: 1)
        _ = try r.double("t_min", default: 0.1)
        let again = try ConfigReader(.object(r.resolved), file: file)
        XCTAssertEqual(try again.int("heads"), 2)
        XCTAssertEqual(try again.double("t_min"), 0.1)
        XCTAssertNoThrow(try again.finish())
    }

    // MARK: - Constraints

    func testConstraintSummaries() {
        XCTAssertEqual(NumberConstraint.greaterThan(0).summary, "> 0")
        XCTAssertEqual(NumberConstraint.atLeast(1).summary, ">= 1")
        XCTAssertEqual(NumberConstraint.lessThan(1).summary, "< 1")
        XCTAssertEqual(NumberConstraint.atMost(0.5).summary, "<= 0.5")
        XCTAssertEqual(NumberConstraint.between(0, 1).summary, "in [0, 1]")
        XCTAssertEqual(NumberConstraint.unitInterval, .in(0...1))
        XCTAssertEqual(NumberConstraint.greaterThan(0).and(.lessThan(1)).summary, "in (0, 1)")
        XCTAssertEqual(NumberConstraint.atLeast(0).and(.greaterThan(0)).summary, "> 0")
        XCTAssertFalse(NumberConstraint.positive.contains(.nan))
        XCTAssertTrue(NumberConstraint.positive.contains(1e-300))
        XCTAssertFalse(NumberConstraint.positive.contains(0))
    }
}
