import XCTest
@testable import EcaZoo
import TensorEngine

/// Registration and lookup messages are part of the interface, and what
/// `eca-zoo list` documents is what the factories actually read.
final class RegistryTests: XCTestCase {
    typealias WidgetFactory = (ConfigReader, BuildContext) throws -> Int

    func message(file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> Void) -> String {
        do {
            try body()
            XCTFail("expected an error", file: file, line: line)
            return ""
        } catch {
            return "\(error)"
        }
    }

    func context(_ name: String = "aggregator", width: Int = 3) -> BuildContext {
        BuildContext(inputWidth: width, rng: RandomGenerator(seed: 0), name: name)
    }

    // MARK: - Registration

    func testEmptyOrSpacedNamesAreRefused() {
        let registry = Registry<Int>(kind: "widget")
        XCTAssertEqual(message { try registry.register("", summary: "nothing", origin: "built-in", factory: 1) },
                       #"cannot register widget "": the name must be non-empty and contain no spaces"#)
        XCTAssertEqual(message { try registry.register("two words", summary: "", origin: "built-in", factory: 1) },
                       #"cannot register widget "two words": the name must be non-empty and contain no spaces"#)
        XCTAssertTrue(registry.entries.isEmpty, "a refused registration must leave nothing behind")
    }

    func testDuplicateNamesAreRefusedNamingBothOrigins() throws {
        let registry = Registry<Int>(kind: "widget")
        try registry.register("alpha", summary: "the first", origin: "built-in", factory: 1)
        XCTAssertEqual(message { try registry.register("alpha", summary: "the second", origin: "plugins/libextra.so", factory: 2) },
                       #"cannot register widget "alpha" from plugins/libextra.so: the name is already registered (from built-in)"#)
        XCTAssertEqual(registry.names, ["alpha"])
        XCTAssertEqual(registry.entry("alpha")?.factory, 1, "the first registration stands")
        XCTAssertEqual(registry.entry("alpha")?.summary, "the first")
        XCTAssertNil(registry.entry("beta"))
    }

    func testABuiltinAggregatorCannotBeReplaced() {
        Zoo.registerBuiltins()
        XCTAssertEqual(Zoo.aggregators.entry("eca")?.origin, "built-in")
        XCTAssertEqual(message { try Zoo.aggregators.register("eca", summary: "impostor", origin: "plugins/libfake.so") { _, c in MeanAggregator(inputWidth: c.inputWidth) } },
                       #"cannot register aggregator "eca" from plugins/libfake.so: the name is already registered (from built-in)"#)
        XCTAssertEqual(Zoo.aggregators.entry("eca")?.summary, "Extrapolative Correlation Attention: DATS temperature + SRA extrapolation")
    }

    // MARK: - Lookup

    func testUnknownNamesListTheKnownOnes() throws {
        let registry = Registry<WidgetFactory>(kind: "widget")
        try registry.register("alpha", summary: "", origin: "built-in") { _, _ in 1 }
        try registry.register("beta", summary: "", origin: "built-in") { _, _ in 2 }
        func build(_ config: JSONValue, default name: String? = nil) throws -> Int {
            try Experiment.buildComponent(registry, ZooFixtures.reader(config, path: "model.widget"), default: name, context("widget"))
        }
        XCTAssertEqual(message { _ = try build(["type": "alpah"]) },
                       #"test.json: model.widget.type: unknown widget "alpah" (did you mean "alpha"?); known: alpha, beta"#)
        XCTAssertEqual(message { _ = try build(["type": "zzz"]) },
                       #"test.json: model.widget.type: unknown widget "zzz"; known: alpha, beta"#)
        XCTAssertEqual(message { _ = try build([:]) }, #"test.json: model.widget: missing required key "type""#)
        XCTAssertEqual(message { _ = try build(["type": 3]) }, "test.json: model.widget.type: expected a string, got number 3")
        XCTAssertEqual(try build(["type": "alpha"]), 1)
        XCTAssertEqual(try build([:], default: "beta"), 2)
    }

    func testUnknownAggregatorListsEveryRegisteredOne() {
        let known = ZooFixtures.aggregatorNames.joined(separator: ", ")
        XCTAssertEqual(message { _ = try Experiment.buildComponent(Zoo.aggregators, ZooFixtures.reader(["type": "ecaa"]), default: nil, context()) },
                       #"test.json: model.aggregator.type: unknown aggregator "ecaa" (did you mean "eca"?); known: "# + known)
        XCTAssertEqual(message { _ = try Experiment.buildComponent(Zoo.aggregators, ZooFixtures.reader(["type": "attention"]), default: nil, context()) },
                       #"test.json: model.aggregator.type: unknown aggregator "attention"; known: "# + known)
    }

    // MARK: - Documented parameters

    /// Building each registered component from an empty object records exactly
    /// the parameters its entry documents, with the documented defaults, so the
    /// `list` command cannot drift from the code.
    func testResolvedConfigsMatchTheDocumentedParameters() throws {
        Zoo.registerBuiltins()
        var checked = 0
        func check(_ kind: String, _ name: String, _ specs: [ParameterSpec], _ reader: ConfigReader,
                   file: StaticString = #filePath, line: UInt = #line) {
            checked += 1
            let label = "\(kind) \(name)"
            let documented = specs.map(\.name)
            XCTAssertEqual(Set(documented).count, documented.count, "\(label): a parameter is documented twice: \(documented)", file: file, line: line)
            let resolved = reader.resolved
            XCTAssertEqual(Set(resolved.keys.filter { $0 != "type" }), Set(documented),
                           "\(label): reads \(resolved.keys) but documents \(documented)", file: file, line: line)
            for spec in specs {
                guard let value = resolved[spec.name] else { continue }
                checkType(value, spec, label, file: file, line: line)
                // Defaults written as JSON must be the default the factory applies.
                if let written = try? JSONParser.parse(text: spec.defaultValue, origin: "spec") {
                    XCTAssertEqual(value, written, "\(label): \(spec.name) defaults to \(value), documented as \(spec.defaultValue)", file: file, line: line)
                }
            }
        }
        for entry in Zoo.aggregators.entries {
            let r = try ZooFixtures.reader([:])
            _ = try entry.factory(r, context())
            try r.finish()
            check("aggregator", entry.name, entry.parameters, r)
        }
        for entry in Zoo.encoders.entries {
            let r = try ZooFixtures.reader([:], path: "model.encoder")
            _ = try entry.factory(r, context("encoder"))
            check("encoder", entry.name, entry.parameters, r)
        }
        for entry in Zoo.heads.entries {
            let r = try ZooFixtures.reader([:], path: "model.head")
            _ = try entry.factory(r, context("head"))
            check("head", entry.name, entry.parameters, r)
        }
        for entry in Zoo.losses.entries {
            let r = try ZooFixtures.reader([:], path: "loss")
            _ = try entry.factory(r)
            check("loss", entry.name, entry.parameters, r)
        }
        XCTAssertGreaterThanOrEqual(checked, 8 + 3 + 2 + 3)
    }

    /// The documented type word agrees with the JSON type of the default.
    func checkType(_ value: JSONValue, _ spec: ParameterSpec, _ label: String, file: StaticString, line: UInt) {
        let ok: Bool
        switch value {
        case .null: ok = spec.type.hasSuffix("or null")
        case .bool: ok = spec.type.hasPrefix("bool")
        case .string: ok = spec.type.hasPrefix("string")
        case .number(let v): ok = spec.type.hasPrefix("number") || (spec.type.hasPrefix("integer") && v == v.rounded())
        case .array: ok = spec.type.hasPrefix("array")
        case .object: ok = spec.type.hasPrefix("object")
        }
        XCTAssertTrue(ok, "\(label): \(spec.name) is documented as \(spec.type) but defaults to \(value)", file: file, line: line)
    }
}
