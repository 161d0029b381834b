import XCTest
@testable import TensorEngine

// Central finite differences against reverse-mode gradients.
//
// A non-scalar output y is reduced to the scalar L = Σ y ⊙ R for a fixed random
// R, so every output element (not just their sum) takes part in the check. The
// forward runs in Float32 as usual; only the objective and the difference are
// accumulated in Double.

/// Absolute and relative tolerance: `actual` is accepted when
/// |actual − expected| ≤ absolute + relative · |expected|.
struct Tolerance {
    var absolute: Double
    var relative: Double

    /// Suits central differences of a Float32 forward with h ≈ 1e-2.
    static let gradient = Tolerance(absolute: 2e-3, relative: 2e-2)
    /// For forward values compared with hand-computed numbers.
    static let forward = Tolerance(absolute: 1e-5, relative: 1e-5)

    func accepts(_ actual: Double, _ expected: Double) -> Bool {
        Swift.abs(actual - expected) <= absolute + relative * Swift.abs(expected)
    }
}

/// Asserts elementwise closeness and names the first offending indices.
func assertClose(_ actual: [Float], _ expected: [Float], tolerance: Tolerance = .forward,
                 _ label: String = "", file: StaticString = #filePath, line: UInt = #line) {
    guard actual.count == expected.count else {
        XCTFail("\(label): \(actual.count) values, expected \(expected.count)", file: file, line: line)
        return
    }
    var failures = 0
    for i in actual.indices where !tolerance.accepts(Double(actual[i]), Double(expected[i])) {
        failures += 1
        if failures <= 5 {
            XCTFail("\(label): element \(i) is \(actual[i]), expected \(expected[i])", file: file, line: line)
        }
    }
    if failures > 5 { XCTFail("\(label): \(failures) elements out of tolerance in all", file: file, line: line) }
}

func assertClose(_ actual: Tensor, _ expected: [Float], shape: [Int], tolerance: Tolerance = .forward,
                 _ label: String = "", file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(actual.shape, shape, "\(label): shape", file: file, line: line)
    assertClose(actual.scalars, expected, tolerance: tolerance, label, file: file, line: line)
}

func assertClose(_ actual: Float, _ expected: Float, tolerance: Tolerance = .forward,
                 _ label: String = "", file: StaticString = #filePath, line: UInt = #line) {
    assertClose([actual], [expected], tolerance: tolerance, label, file: file, line: line)
}

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

/// One element whose reverse-mode gradient disagrees with the finite difference.
struct GradientMismatch: CustomStringConvertible {
    let input: Int
    let shape: [Int]
    let index: [Int]
    let autodiff: Double
    let numeric: Double

    var description: String {
        "input \(input) \(shape) at \(index): autodiff \(autodiff), finite difference \(numeric)"
    }
}

/// The outcome of comparing reverse-mode gradients with central differences.
struct GradientComparison {
    /// The output was not finite at the unperturbed point (nothing else was compared).
    var nonFiniteOutput: Tensor?
    var mismatches: [GradientMismatch] = []
    /// How many input elements were compared.
    var compared = 0
}

/// Compares the reverse-mode gradient of `f` with central differences at every
/// element of every input.
///
/// - Parameters:
///   - inputs: the points at which to differentiate (their autograd state is ignored).
///   - h: the perturbation; 1e-2 balances truncation against Float32 rounding.
///   - f: the function, called once with gradient-tracking leaves and then once
///     per element and sign with perturbed constants.
func compareGradients(_ inputs: [Tensor], h: Float = 1e-2, tolerance: Tolerance = .gradient, seed: UInt64 = 0x5EED,
                      _ f: ([Tensor]) -> Tensor) -> GradientComparison {
    var result = GradientComparison()
    let leaves = inputs.map { $0.detached().requiringGrad() }
    let output = f(leaves)
    guard output.scalars.allSatisfy(\.isFinite) else {
        result.nonFiniteOutput = output
        return result
    }
    let weights = Tensor.uniform(output.shape, low: -1, high: 1, rng: RandomGenerator(seed: seed))
    (output * weights).sum().backward()
    let r = weights.scalars

    func objective(_ point: [Tensor]) -> Double {
        let y = Autograd.withoutGradients { f(point) }
        precondition(y.shape == output.shape, "gradient check: output shape changed under perturbation")
        return zip(y.scalars, r).reduce(0) { $0 + Double($1.0) * Double($1.1) }
    }

    let constants = inputs.map { $0.detached() }
    for (k, x) in constants.enumerated() {
        let analytic = leaves[k].grad?.scalars ?? [Float](repeating: 0, count: x.count)
        precondition(analytic.count == x.count, "gradient check: gradient of input \(k) has \(analytic.count) elements for shape \(x.shape)")
        for j in 0..<x.count {
            var plus = x, minus = x
            plus.withUnsafeMutableBufferPointer { $0[j] += h }
            minus.withUnsafeMutableBufferPointer { $0[j] -= h }
            // The step actually taken after rounding to Float32.
            let step = Double(plus.scalars[j]) - Double(minus.scalars[j])
            var pointPlus = constants, pointMinus = constants
            pointPlus[k] = plus
            pointMinus[k] = minus
            let numeric = (objective(pointPlus) - objective(pointMinus)) / step
            let a = Double(analytic[j])
            result.compared += 1
            if !tolerance.accepts(a, numeric) {
                result.mismatches.append(GradientMismatch(input: k, shape: x.shape, index: multiIndex(j, in: x.shape), autodiff: a, numeric: numeric))
            }
        }
    }
    return result
}

/// Fails the current test, naming the op, for every element (up to five) whose
/// gradient disagrees with central differences.
func checkGradients(_ name: String, _ inputs: [Tensor], h: Float = 1e-2, tolerance: Tolerance = .gradient,
                    seed: UInt64 = 0x5EED, file: StaticString = #filePath, line: UInt = #line,
                    _ f: ([Tensor]) -> Tensor) {
    let result = compareGradients(inputs, h: h, tolerance: tolerance, seed: seed, f)
    if let output = result.nonFiniteOutput {
        XCTFail("\(name): forward produced a non-finite value \(output)", file: file, line: line)
        return
    }
    XCTAssertEqual(result.compared, inputs.reduce(0) { $0 + $1.count }, "\(name): elements compared", file: file, line: line)
    for m in result.mismatches.prefix(5) { XCTFail("\(name): \(m)", file: file, line: line) }
    if result.mismatches.count > 5 {
        XCTFail("\(name): \(result.mismatches.count) of \(result.compared) elements out of tolerance", file: file, line: line)
    }
}

/// The same check for the parameters of a layer, perturbed in place through `assign`.
func checkParameterGradients(_ name: String, _ parameters: [Parameter], h: Float = 1e-2, tolerance: Tolerance = .gradient,
                             seed: UInt64 = 0x5EED, file: StaticString = #filePath, line: UInt = #line,
                             _ f: () -> Tensor) {
    for p in parameters { p.zeroGrad() }
    let output = f()
    let weights = Tensor.uniform(output.shape, low: -1, high: 1, rng: RandomGenerator(seed: seed))
    (output * weights).sum().backward()
    let r = weights.scalars

    func objective() -> Double {
        zip(Autograd.withoutGradients(f).scalars, r).reduce(0) { $0 + Double($1.0) * Double($1.1) }
    }

    for p in parameters {
        let analytic = p.grad?.scalars ?? [Float](repeating: 0, count: p.value.count)
        let original = p.value.scalars
        var failures = 0
        for j in original.indices {
            var values = original
            values[j] = original[j] + h
            let up = values[j]
            p.assign(values)
            let fPlus = objective()
            values[j] = original[j] - h
            let down = values[j]
            p.assign(values)
            let fMinus = objective()
            p.assign(original)
            let numeric = (fPlus - fMinus) / (Double(up) - Double(down))
            if !tolerance.accepts(Double(analytic[j]), numeric) {
                failures += 1
                if failures <= 5 {
                    XCTFail("\(name): parameter \(p.name) at \(multiIndex(j, in: p.value.shape)): autodiff \(analytic[j]), finite difference \(numeric)",
                            file: file, line: line)
                }
            }
        }
        if failures > 5 { XCTFail("\(name): parameter \(p.name): \(failures) elements out of tolerance", file: file, line: line) }
    }
}

// MARK: - Inputs

/// Test inputs drawn from a seeded generator so failures reproduce.
struct Inputs {
    let rng: RandomGenerator

    init(seed: UInt64 = 1) { rng = RandomGenerator(seed: seed) }

    /// Uniform in [low, high).
    func uniform(_ shape: [Int], _ low: Float = -1, _ high: Float = 1) -> Tensor {
        Tensor.uniform(shape, low: low, high: high, rng: rng)
    }

    /// Magnitudes in [0.2, 1.5) with random signs: at least 0.2 away from the kink at 0.
    func awayFromZero(_ shape: [Int]) -> Tensor {
        let values = (0..<shape.reduce(1, *)).map { _ -> Float in
            let m = rng.uniform(0.2, 1.5)
            return rng.uniform() < 0.5 ? -m : m
        }
        return Tensor(values, shape: shape)
    }

    /// Distinct values at least 0.1 apart in shuffled order: no ties for max/min within ±h.
    func distinct(_ shape: [Int]) -> Tensor {
        var values = (0..<shape.reduce(1, *)).map { Float($0) * 0.1 - 1 }
        rng.shuffle(&values)
        return Tensor(values, shape: shape)
    }

    /// `x` shifted elementwise by ±[0.1, 0.6): never within h of `x`, for maximum/minimum.
    func separated(from x: Tensor) -> Tensor {
        Tensor(x.scalars.map { v in v + (rng.uniform() < 0.5 ? -1 : 1) * rng.uniform(0.1, 0.6) }, shape: x.shape)
    }
}
