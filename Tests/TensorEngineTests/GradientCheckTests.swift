import XCTest
@testable import TensorEngine

/// Finite-difference checks of every differentiable op outside matmul, shape ops,
/// broadcasting and softmax (those have their own files).
final class GradientCheckTests: XCTestCase {
    let shape = [2, 3, 4]

    // MARK: - Unary

    func testSmoothUnaryOps() {
        let inputs = Inputs(seed: 11)
        let x = inputs.uniform(shape, -2, 2)
        checkGradients("neg", [x]) { -$0[0] }
        checkGradients("exp", [x]) { $0[0].exp() }
        checkGradients("gelu", [x]) { $0[0].gelu() }
        checkGradients("tanh", [x]) { $0[0].tanh() }
        checkGradients("sigmoid", [x]) { $0[0].sigmoid() }
        checkGradients("softplus", [x]) { $0[0].softplus() }
    }

    func testUnaryOpsOnPositiveDomain() {
        let x = Inputs(seed: 12).uniform(shape, 0.5, 2)
        checkGradients("log", [x]) { $0[0].log() }
        checkGradients("sqrt", [x]) { $0[0].sqrt() }
    }

    func testPiecewiseUnaryOpsAwayFromTheKink() {
        let x = Inputs(seed: 13).awayFromZero(shape)
        checkGradients("abs", [x]) { $0[0].abs() }
        checkGradients("relu", [x]) { $0[0].relu() }
        checkGradients("elu", [x]) { $0[0].elu() }
    }

    func testSoftplusIsStableForLargeInputs() {
        let x = Tensor([-100, -30, 30, 100], shape: [4]).requiringGrad()
        let y = x.softplus()
        assertClose(y.scalars, [0, 9.357623e-14, 30, 100], tolerance: Tolerance(absolute: 1e-6, relative: 1e-6), "softplus")
        y.sum().backward()
        assertClose(x.grad!.scalars, [0, 0, 1, 1], tolerance: Tolerance(absolute: 1e-6, relative: 0), "softplus grad")
    }

    // MARK: - Arithmetic on equal shapes

    func testArithmeticOnEqualShapes() {
        let inputs = Inputs(seed: 21)
        let a = inputs.uniform(shape), b = inputs.uniform(shape)
        let positive = inputs.uniform(shape, 0.5, 2)
        checkGradients("add", [a, b]) { $0[0] + $0[1] }
        checkGradients("sub", [a, b]) { $0[0] - $0[1] }
        checkGradients("mul", [a, b]) { $0[0] * $0[1] }
        checkGradients("div", [a, positive]) { $0[0] / $0[1] }
        checkGradients("scaled(by:)", [a]) { $0[0].scaled(by: -2.5) }
    }

    func testArithmeticWithFloatOperands() {
        let inputs = Inputs(seed: 22)
        let a = inputs.uniform(shape), positive = inputs.uniform(shape, 0.5, 2)
        checkGradients("tensor + float", [a]) { $0[0] + 1.5 }
        checkGradients("tensor - float", [a]) { $0[0] - 1.5 }
        checkGradients("tensor * float", [a]) { $0[0] * 3 }
        checkGradients("tensor / float", [a]) { $0[0] / 4 }
        checkGradients("float + tensor", [a]) { 1.5 + $0[0] }
        checkGradients("float - tensor", [a]) { 1.5 - $0[0] }
        checkGradients("float * tensor", [a]) { 3 * $0[0] }
        checkGradients("float / tensor", [positive]) { 2 / $0[0] }
    }

    func testValueUsedSeveralTimes() {
        let x = Inputs(seed: 23).uniform(shape)
        checkGradients("x*x + x", [x]) { $0[0] * $0[0] + $0[0] }
        checkGradients("x*exp(x) - tanh(x)/2", [x]) { x in x[0] * x[0].exp() - x[0].tanh() / 2 }
        checkGradients("x + x.sum(axis:1, keepDims) * x", [x]) { x in x[0] + x[0].sum(axis: 1, keepDims: true) * x[0] }
        checkGradients("concat([x, exp(x)]) * concat([x, x])", [x]) { x in Tensor.concat([x[0], x[0].exp()], axis: 0) * Tensor.concat([x[0], x[0]], axis: 0) }
    }

    // MARK: - Powers

    func testPowWithConstantExponent() {
        let inputs = Inputs(seed: 31)
        let x = inputs.uniform(shape), positive = inputs.uniform(shape, 0.5, 2)
        checkGradients("pow(2) (the x*x path)", [x]) { $0[0].pow(2) }
        checkGradients("pow(3)", [x]) { $0[0].pow(3) }
        checkGradients("pow(0.5)", [positive]) { $0[0].pow(0.5) }
        checkGradients("pow(-1.5)", [positive]) { $0[0].pow(-1.5) }
    }

    func testPowWithTensorExponent() {
        let inputs = Inputs(seed: 32)
        let base = inputs.uniform(shape, 0.5, 2), exponent = inputs.uniform(shape, -1.5, 2.5)
        checkGradients("pow(tensor)", [base, exponent]) { $0[0].pow($0[1]) }
        checkGradients("pow(tensor) base only", [base]) { $0[0].pow(exponent) }
        checkGradients("pow(tensor) exponent only", [exponent]) { base.pow($0[0]) }
        checkGradients("pow(tensor) broadcast exponent [4]", [base, inputs.uniform([4], -1, 2)]) { $0[0].pow($0[1]) }
        checkGradients("pow(tensor) broadcast base [3,1]", [inputs.uniform([3, 1], 0.5, 2), exponent]) { $0[0].pow($0[1]) }
    }

    // MARK: - Selections

    func testMaximumAndMinimumAwayFromTies() {
        let inputs = Inputs(seed: 41)
        let a = inputs.uniform(shape), b = inputs.separated(from: a)
        checkGradients("maximum", [a, b]) { $0[0].maximum($0[1]) }
        checkGradients("minimum", [a, b]) { $0[0].minimum($0[1]) }
        let c = inputs.uniform([4]), d = inputs.awayFromZero(shape)
        let shifted = Tensor(zip(d.scalars, Array(repeating: c.scalars, count: 6).flatMap { $0 }).map { $0.0 + $0.1 }, shape: shape)
        checkGradients("maximum broadcast [4]", [shifted, c]) { $0[0].maximum($0[1]) }
        checkGradients("minimum broadcast [4]", [c, shifted]) { $0[0].minimum($0[1]) }
    }

    func testMaximumTiesSendGradientToSelf() {
        let a = Tensor([1, 2], shape: [2]).requiringGrad(), b = Tensor([1, 2], shape: [2]).requiringGrad()
        a.maximum(b).sum().backward()
        XCTAssertEqual(a.grad?.scalars, [1, 1])
        XCTAssertEqual(b.grad?.scalars, [0, 0])
    }

    func testClampAwayFromTheBounds() {
        // Values at least 0.05 from either bound, some on each side of it.
        let x = Tensor([-1.2, -0.75, -0.3, 0, 0.3, 0.55, 0.7, 1.4, -0.45, 0.2, 0.95, -2], shape: [3, 4])
        checkGradients("clamped(-0.5, 0.6)", [x]) { $0[0].clamped(min: -0.5, max: 0.6) }
        checkGradients("clamped(min: 0.1)", [x]) { $0[0].clamped(min: 0.1) }
        checkGradients("clamped(max: -0.1)", [x]) { $0[0].clamped(max: -0.1) }
        let y = x.clamped(min: -0.5, max: 0.6)
        XCTAssertEqual(y.scalars, [-0.5, -0.5, -0.3, 0, 0.3, 0.55, 0.6, 0.6, -0.45, 0.2, 0.6, -0.5])
    }

    // MARK: - Reductions

    func testSumAndMean() {
        let x = Inputs(seed: 51).uniform(shape)
        checkGradients("sum()", [x]) { $0[0].sum() }
        checkGradients("mean()", [x]) { $0[0].mean() }
        for axis in [0, 1, 2, -1] {
            for keepDims in [false, true] {
                checkGradients("sum(axis: \(axis), keepDims: \(keepDims))", [x]) { $0[0].sum(axis: axis, keepDims: keepDims) }
                checkGradients("mean(axis: \(axis), keepDims: \(keepDims))", [x]) { $0[0].mean(axis: axis, keepDims: keepDims) }
            }
        }
        checkGradients("sum(axes: [0, 2])", [x]) { $0[0].sum(axes: [0, 2]) }
        checkGradients("sum(axes: [-1, 0], keepDims)", [x]) { $0[0].sum(axes: [-1, 0], keepDims: true) }
    }

    func testMaxAndMinWithoutTies() {
        let x = Inputs(seed: 52).distinct(shape)
        for axis in [0, 1, 2, -1] {
            checkGradients("max(axis: \(axis))", [x]) { $0[0].max(axis: axis) }
            checkGradients("min(axis: \(axis))", [x]) { $0[0].min(axis: axis) }
        }
        checkGradients("max(axis: 1, keepDims)", [x]) { $0[0].max(axis: 1, keepDims: true) }
        checkGradients("min(axis: 0, keepDims)", [x]) { $0[0].min(axis: 0, keepDims: true) }
    }

    func testMaxTieSendsGradientToFirstMaximum() {
        let x = Tensor([3, 1, 3, 2], shape: [4]).requiringGrad()
        x.max(axis: 0).backward()
        XCTAssertEqual(x.grad?.scalars, [1, 0, 0, 0])
    }

    func testVarianceAndStandardDeviation() {
        let x = Inputs(seed: 53).uniform(shape)
        for axis in [0, 1, -1] {
            for unbiased in [false, true] {
                checkGradients("variance(axis: \(axis), unbiased: \(unbiased))", [x]) { $0[0].variance(axis: axis, unbiased: unbiased) }
                checkGradients("standardDeviation(axis: \(axis), unbiased: \(unbiased))", [x]) {
                    $0[0].standardDeviation(axis: axis, unbiased: unbiased)
                }
            }
        }
        checkGradients("variance keepDims", [x]) { $0[0].variance(axis: 1, keepDims: true, unbiased: true) }
    }

    // MARK: - Layer normalisation

    func testLayerNormWithRespectToInputScaleAndShift() {
        let inputs = Inputs(seed: 61)
        let x = inputs.uniform([2, 3, 5], -2, 2), gamma = inputs.uniform([5], 0.5, 1.5), beta = inputs.uniform([5])
        checkGradients("layerNorm", [x, gamma, beta]) { $0[0].layerNorm(gamma: $0[1], beta: $0[2]) }
        checkGradients("layerNorm wrt x only", [x]) { $0[0].layerNorm(gamma: gamma, beta: beta) }
        checkGradients("layerNorm wrt gamma only", [gamma]) { x.layerNorm(gamma: $0[0], beta: beta) }
        checkGradients("layerNorm wrt beta only", [beta]) { x.layerNorm(gamma: gamma, beta: $0[0]) }
        checkGradients("layerNorm of a 2-D input", [inputs.uniform([4, 3], -2, 2), inputs.uniform([3], 0.5, 1.5), inputs.uniform([3])]) {
            $0[0].layerNorm(gamma: $0[1], beta: $0[2])
        }
    }

    // MARK: - Dropout

    func testDropoutWithFixedMask() {
        let x = Inputs(seed: 71).uniform(shape)
        // A fresh generator with the same seed on every call keeps the mask fixed.
        checkGradients("dropout(0.3)", [x]) { $0[0].dropout(0.3, rng: RandomGenerator(seed: 9)) }
        checkGradients("dropout(0)", [x]) { $0[0].dropout(0, rng: RandomGenerator(seed: 9)) }
    }

    // MARK: - Layers

    func testLinearLayer() {
        let rng = RandomGenerator(seed: 81)
        let layer = Linear("head.fc", inputs: 4, outputs: 3, rng: rng)
        // A non-zero bias so that the bias path is not trivially zero.
        layer.bias!.assign([0.1, -0.2, 0.3])
        let x = Inputs(seed: 82).uniform([2, 5, 4])
        checkParameterGradients("Linear", layer.parameters) { layer(x) }
        checkGradients("Linear wrt input", [x]) { layer($0[0]) }
        let noBias = Linear("proj", inputs: 4, outputs: 2, bias: false, rng: rng)
        XCTAssertEqual(noBias.parameters.map(\.name), ["proj.weight"])
        checkParameterGradients("Linear without bias", noBias.parameters) { noBias(x) }
    }

    func testLayerNormLayer() {
        let norm = LayerNorm("block.norm", width: 4)
        norm.gamma.assign([1.2, 0.8, 1, 0.5])
        norm.beta.assign([0.1, 0, -0.1, 0.2])
        let x = Inputs(seed: 83).uniform([3, 4], -2, 2)
        checkParameterGradients("LayerNorm", norm.parameters) { norm(x) }
        checkGradients("LayerNorm wrt input", [x]) { norm($0[0]) }
    }
}
