import Foundation
import XCTest
@testable import EcaZoo
import TensorEngine

// Shared fixtures for the tests that pin the zoo's behaviour: tolerances,
// components built through the registries exactly as a recipe builds them,
// seeded padded batches of sets, and a central-difference gradient check.

// MARK: - Tolerances

/// Absolute and relative tolerance: `actual` is accepted when
/// |actual − expected| ≤ absolute + relative · |expected|.
struct Tolerance {
    var absolute: Double
    var relative: Double

    /// Central differences of a Float32 forward with h ≈ 1e-2.
    static let gradient = Tolerance(absolute: 2e-3, relative: 2e-2)
    /// The same Float32 value computed twice, in a different order.
    static let float32 = Tolerance(absolute: 1e-5, relative: 1e-4)
    /// Values computed in Double from the same inputs.
    static let double = Tolerance(absolute: 1e-9, relative: 1e-9)

    func accepts(_ actual: Double, _ expected: Double) -> Bool {
        Swift.abs(actual - expected) <= absolute + relative * Swift.abs(expected)
    }
}

/// Asserts elementwise closeness and names the first offending indices.
func assertClose(_ actual: [Float], _ expected: [Float], tolerance: Tolerance = .float32,
                 _ label: String = "", file: StaticString = #filePath, line: UInt = #line) {
    guard actual.count == expected.count else {
        XCTFail("\(label): \(actual.count) values, expected \(expected.count)", file: file, line: line)
        return
    }
    var failures = 0
    for i in actual.indices where !tolerance.accepts(Double(actual[i]), Double(expected[i])) {
        failures += 1
        if failures <= 5 { XCTFail("\(label): element \(i) is \(actual[i]), expected \(expected[i])", file: file, line: line) }
    }
    if failures > 5 { XCTFail("\(label): \(failures) elements out of tolerance in all", file: file, line: line) }
}

func assertClose(_ actual: Double, _ expected: Double, tolerance: Tolerance = .double,
                 _ label: String = "", file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertTrue(tolerance.accepts(actual, expected), "\(label): \(actual), expected \(expected)", file: file, line: line)
}

// MARK: - Components from the registries

/// An aggregator built through `Zoo.aggregators`, with the reader that configured it.
struct BuiltAggregator {
    let name: String
    let config: JSONValue
    let aggregator: any Aggregator
    let reader: ConfigReader

    /// `eca {"sra":false}`, for failure messages.
    var label: String { "\(name) \(config)" }
}

enum ZooFixtures {
    /// The file named in recipe errors raised by these fixtures.
    static let file = "test.json"

    /// Every registered aggregator name, built-ins included.
    static var aggregatorNames: [String] {
        Zoo.registerBuiltins()
        return Zoo.aggregators.names
    }

    /// A reader over `config` at `model.aggregator`, as an experiment makes one.
    static func reader(_ config: JSONValue, path: String = "model.aggregator") throws -> ConfigReader {
        try ConfigReader(config, file: file, path: path)
    }

    /// Builds the registered aggregator `name` from `config`, as a recipe would.
    static func aggregator(_ name: String, _ config: JSONValue = [:], inputWidth: Int = 4, seed: UInt64 = 1) throws -> BuiltAggregator {
        Zoo.registerBuiltins()
        guard let entry = Zoo.aggregators.entry(name) else {
            throw RegistrationError(description: "no aggregator \"\(name)\" registered")
        }
        let r = try reader(config)
        let context = BuildContext(inputWidth: inputWidth, rng: RandomGenerator(seed: seed), name: "aggregator")
        let built = try entry.factory(r, context)
        try r.finish()
        return BuiltAggregator(name: name, config: config, aggregator: built, reader: r)
    }

    /// The configs tried for each registered aggregator: its defaults, plus for
    /// the built-ins the switches that take a different code path. An aggregator
    /// registered later (or by a plugin) is covered with its defaults automatically.
    static func variants(of name: String) -> [JSONValue] {
        let extra: [JSONValue]
        switch name {
        case "softmax": extra = [["scorer": "linear", "heads": 2], ["scorer": "gated", "temperature": 0.5]]
        case "gated": extra = [["heads": 3]]
        case "pma": extra = [["heads": 2, "seeds": 3, "key_width": 8]]
        case "linear": extra = [["normalize": "sum", "key_width": 6]]
        case "signed": extra = [["scorer": "gated", "heads": 2]]
        case "eca":
            extra = [
                ["learnable_beta": true, "gamma_max": 3, "t_min": 0.3, "beta": 0.5],
                ["dats": false],
                ["sra": false],
                ["scorer": "gated", "heads": 2, "gamma_hidden": 4],
            ]
        default: extra = []
        }
        return [[:]] + extra
    }

    /// Every variant of every registered aggregator, built with the same seed.
    static func allAggregators(inputWidth: Int = 4, seed: UInt64 = 1) throws -> [BuiltAggregator] {
        try aggregatorNames.flatMap { name in
            try variants(of: name).map { try aggregator(name, $0, inputWidth: inputWidth, seed: seed) }
        }
    }
}

// MARK: - Padded batches of sets

/// A padded batch: `elements [B, N, D]`, `mask [B, N]`, real elements first in each set.
struct PaddedSets {
    var elements: Tensor
    var mask: Tensor
    var sizes: [Int]

    var batch: Int { sizes.count }
    var length: Int { elements.shape[1] }
    var width: Int { elements.shape[2] }

    /// Standard-normal elements times `scale`, padding rows set to `padding`.
    static func random(sizes: [Int], width: Int, seed: UInt64, length: Int? = nil,
                       scale: Float = 1, padding: Float = 0) -> PaddedSets {
        let rng = RandomGenerator(seed: seed)
        return make(sizes: sizes, width: width, length: length, padding: padding) { _ in scale * rng.normal() }
    }

    /// Values on a shuffled grid 0.07 apart: no two elements tie within a
    /// finite-difference step, so max pooling and |z| stay differentiable.
    static func distinct(sizes: [Int], width: Int, seed: UInt64) -> PaddedSets {
        let rng = RandomGenerator(seed: seed)
        let count = sizes.reduce(0, +) * width
        var grid = (0..<count).map { Float($0) * 0.07 - Float(count) * 0.035 }
        rng.shuffle(&grid)
        var next = 0
        return make(sizes: sizes, width: width, length: nil, padding: 0) { _ in
            defer { next += 1 }
            return grid[next]
        }
    }

    /// Fills real element `(b, i)` from `value(b)`, coordinate by coordinate.
    static func make(sizes: [Int], width: Int, length: Int?, padding: Float, value: (Int) -> Float) -> PaddedSets {
        let n = length ?? (sizes.max() ?? 0)
        precondition(sizes.allSatisfy { $0 <= n }, "PaddedSets: a set is longer than the padded length \(n)")
        var x = [Float](repeating: padding, count: sizes.count * n * width)
        var m = [Float](repeating: 0, count: sizes.count * n)
        for (b, size) in sizes.enumerated() {
            for i in 0..<size {
                m[b * n + i] = 1
                for j in 0..<width { x[(b * n + i) * width + j] = value(b) }
            }
        }
        return PaddedSets(elements: Tensor(x, shape: [sizes.count, n, width]), mask: Tensor(m, shape: [sizes.count, n]), sizes: sizes)
    }

    /// The real elements of set `b`, one array of `D` values each.
    func rows(of b: Int) -> [[Float]] {
        let x = elements.scalars, m = mask.scalars
        return (0..<length).filter { m[b * length + $0] != 0 }.map { i in
            Array(x[(b * length + i) * width..<(b * length + i + 1) * width])
        }
    }

    /// `(set, coordinate)` pairs where the pooled vectors `v` (`[B, D]` flattened)
    /// fall outside `[min, max]` of the set's real elements, beyond a relative slack.
    func hullEscapes(_ v: [Float], slack: Float = 1e-4) -> [(set: Int, coordinate: Int)] {
        var out: [(set: Int, coordinate: Int)] = []
        for b in 0..<batch {
            let rows = rows(of: b)
            guard !rows.isEmpty else { continue }
            for j in 0..<width {
                let lo = rows.map { $0[j] }.min()!, hi = rows.map { $0[j] }.max()!
                let s = slack * Swift.max(1, Swift.abs(lo), Swift.abs(hi))
                if v[b * width + j] < lo - s || v[b * width + j] > hi + s { out.append((b, j)) }
            }
        }
        return out
    }

    /// The same real elements padded to `length`, every padding position
    /// (old and new) filled from `padding(b, i, j)`.
    func repadded(to length: Int, padding: (Int, Int, Int) -> Float) -> PaddedSets {
        precondition(length >= self.length, "repadded: cannot shrink \(self.length) to \(length)")
        let real = (0..<batch).map { rows(of: $0) }
        var x = [Float](repeating: 0, count: batch * length * width)
        var m = [Float](repeating: 0, count: batch * length)
        for b in 0..<batch {
            for i in 0..<length {
                for j in 0..<width {
                    x[(b * length + i) * width + j] = i < real[b].count ? real[b][i][j] : padding(b, i, j)
                }
                if i < real[b].count { m[b * length + i] = 1 }
            }
        }
        return PaddedSets(elements: Tensor(x, shape: [batch, length, width]), mask: Tensor(m, shape: [batch, length]), sizes: sizes)
    }

    /// The same sets with each set's positions (padding included) reordered by
    /// its own random permutation.
    func permuted(seed: UInt64) -> PaddedSets {
        let rng = RandomGenerator(seed: seed)
        let x = elements.scalars, m = mask.scalars
        var px = x, pm = m
        for b in 0..<batch {
            var order = Array(0..<length)
            rng.shuffle(&order)
            for (to, from) in order.enumerated() {
                pm[b * length + to] = m[b * length + from]
                for j in 0..<width { px[(b * length + to) * width + j] = x[(b * length + from) * width + j] }
            }
        }
        return PaddedSets(elements: Tensor(px, shape: elements.shape), mask: Tensor(pm, shape: mask.shape), sizes: sizes)
    }
}

// MARK: - Finite differences

/// Row-major multi-index of a flat position, for failure messages.
func multiIndex(_ flat: Int, in shape: [Int]) -> [Int] {
    var rest = flat
    var index = [Int](repeating: 0, count: shape.count)
    for axis in stride(from: shape.count - 1, through: 0, by: -1) {
        index[axis] = rest % shape[axis]
        rest /= shape[axis]
    }
    return index
}

/// Checks the reverse-mode gradient of the scalar `objective` with respect to
/// every element of `input` and of every parameter against central differences.
///
/// - Parameters:
///   - name: what is checked, for failure messages.
///   - input: the point at which to differentiate; `objective` is called with a
///     gradient-tracking leaf once, then with perturbed constants.
///   - parameters: parameters perturbed in place (and restored).
///   - h: the step; 1e-2 balances truncation against Float32 rounding.
func checkGradients(_ name: String, input: Tensor, parameters: [Parameter], h: Float = 1e-2,
                    tolerance: Tolerance = .gradient, file: StaticString = #filePath, line: UInt = #line,
                    _ objective: (Tensor) -> Tensor) {
    for p in parameters { p.zeroGrad() }
    let leaf = input.detached().requiringGrad()
    let value = objective(leaf)
    XCTAssertEqual(value.count, 1, "\(name): the objective must be a scalar", file: file, line: line)
    guard value.item.isFinite else {
        XCTFail("\(name): the objective is not finite: \(value.item)", file: file, line: line)
        return
    }
    value.backward()

    func evaluate(_ x: Tensor) -> Double { Double(Autograd.withoutGradients { objective(x) }.item) }

    func compare(_ label: String, _ shape: [Int], analytic: [Float], numeric: (Int) -> Double) {
        var failures = 0
        for j in analytic.indices {
            let n = numeric(j), a = Double(analytic[j])
            if !tolerance.accepts(a, n) {
                failures += 1
                if failures <= 5 {
                    XCTFail("\(name): \(label) at \(multiIndex(j, in: shape)): autodiff \(a), finite difference \(n)", file: file, line: line)
                }
            }
        }
        if failures > 5 { XCTFail("\(name): \(label): \(failures) of \(analytic.count) elements out of tolerance", file: file, line: line) }
    }

    let x = input.detached()
    compare("input \(x.shape)", x.shape, analytic: leaf.grad?.scalars ?? [Float](repeating: 0, count: x.count)) { j in
        var plus = x, minus = x
        plus.withUnsafeMutableBufferPointer { $0[j] += h }
        minus.withUnsafeMutableBufferPointer { $0[j] -= h }
        // The step actually taken after rounding to Float32.
        let step = Double(plus.scalars[j]) - Double(minus.scalars[j])
        return (evaluate(plus) - evaluate(minus)) / step
    }

    for p in parameters {
        let analytic = p.grad?.scalars ?? [Float](repeating: 0, count: p.value.count)
        let original = p.value.scalars
        compare("parameter \(p.name)", p.value.shape, analytic: analytic) { j in
            var values = original
            values[j] = original[j] + h
            let up = values[j]
            p.assign(values)
            let fPlus = evaluate(x)
            values[j] = original[j] - h
            let down = values[j]
            p.assign(values)
            let fMinus = evaluate(x)
            p.assign(original)
            return (fPlus - fMinus) / (Double(up) - Double(down))
        }
    }
}

// MARK: - Small statistics in Double

enum Stats {
    static func mean(_ v: [Double]) -> Double { v.reduce(0, +) / Double(max(v.count, 1)) }

    /// Population standard deviation (1/S).
    static func sigma(_ v: [Double]) -> Double {
        let m = mean(v)
        return (v.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(max(v.count, 1))).squareRoot()
    }

    static func pearson(_ a: [Double], _ b: [Double]) -> Double {
        let ma = mean(a), mb = mean(b)
        var cov = 0.0, va = 0.0, vb = 0.0
        for i in a.indices {
            cov += (a[i] - ma) * (b[i] - mb)
            va += (a[i] - ma) * (a[i] - ma)
            vb += (b[i] - mb) * (b[i] - mb)
        }
        return cov / (va * vb).squareRoot()
    }

    /// −Σ α log α over the real elements of each set, head 0: `weights [B, N, H]`.
    static func entropies(_ weights: Tensor, mask: Tensor) -> [Double] {
        let b = weights.shape[0], n = weights.shape[1], heads = weights.shape[2]
        let w = weights.scalars, m = mask.scalars
        return (0..<b).map { s in
            (0..<n).reduce(0.0) { e, i in
                let a = Double(w[(s * n + i) * heads])
                return m[s * n + i] != 0 && a > 0 ? e - a * Foundation.log(a) : e
            }
        }
    }
}
