import XCTest
@testable import TensorEngine

/// Forward values against numbers worked out by hand (softmax and matmul have
/// theirs in `SoftmaxMaskTests` and `MatmulTests`).
final class ForwardValueTests: XCTestCase {
    func testVariancePopulationVersusSample() {
        // mean 2.5, squared deviations 2.25 + 0.25 + 0.25 + 2.25 = 5
        let x = Tensor([1, 2, 3, 4], shape: [4])
        assertClose(x.variance(axis: 0), [1.25], shape: [], "population variance")
        assertClose(x.variance(axis: 0, unbiased: true), [5.0 / 3.0], shape: [], "sample variance")
        assertClose(x.standardDeviation(axis: 0), [Float(1.25).squareRoot()], shape: [], "population std")
        assertClose(x.standardDeviation(axis: 0, unbiased: true), [Float(5.0 / 3.0).squareRoot()], shape: [], "sample std")
        let rows = Tensor([1, 2, 3, 4, 2, 2, 2, 2], shape: [2, 4])
        assertClose(rows.variance(axis: 1, keepDims: true), [1.25, 0], shape: [2, 1], "per-row variance")
        assertClose(rows.variance(axis: 0), [0.25, 0, 0.25, 1], shape: [4], "per-column variance")
    }

    func testLayerNormOfARow() {
        // x̂ = (x − 2.5) / sqrt(1.25 + 1e-5), then x̂ ⊙ gamma + beta
        let x = Tensor([1, 2, 3, 4], shape: [1, 4])
        let y = x.layerNorm(gamma: Tensor([1, 2, 0.5, 1], shape: [4]), beta: Tensor([0, 0, 1, -1], shape: [4]))
        assertClose(y, [-1.34163542, -0.89442361, 1.22360590, 0.34163542], shape: [1, 4], "layerNorm")
        // With unit scale and zero shift each row has mean 0 and variance ≈ 1.
        let z = Inputs(seed: 1).uniform([3, 8], -4, 4).layerNorm(gamma: .ones([8]), beta: .zeros([8]))
        assertClose(z.mean(axis: 1).scalars, [0, 0, 0], tolerance: Tolerance(absolute: 1e-6, relative: 0), "row means")
        assertClose(z.variance(axis: 1).scalars, [1, 1, 1], tolerance: Tolerance(absolute: 1e-4, relative: 0), "row variances")
    }

    func testReductionsByHand() {
        let x = Tensor([1, 5, 3, 4, 2, 6], shape: [2, 3])
        assertClose(x.sum(), [21], shape: [], "sum")
        assertClose(x.mean(), [3.5], shape: [], "mean")
        assertClose(x.sum(axis: 0), [5, 7, 9], shape: [3], "sum axis 0")
        assertClose(x.sum(axis: 1, keepDims: true), [9, 12], shape: [2, 1], "sum axis 1")
        assertClose(x.mean(axis: -1), [3, 4], shape: [2], "mean axis -1")
        assertClose(x.sum(axes: [0, 1]), [21], shape: [], "sum axes [0, 1]")
        assertClose(x.max(axis: 0), [4, 5, 6], shape: [3], "max axis 0")
        assertClose(x.max(axis: 1), [5, 6], shape: [2], "max axis 1")
        assertClose(x.min(axis: 0), [1, 2, 3], shape: [3], "min axis 0")
        assertClose(x.min(axis: 1, keepDims: true), [1, 2], shape: [2, 1], "min axis 1")
    }

    func testElementwiseValuesByHand() {
        let x = Tensor([-1, 0, 2], shape: [3])
        assertClose(x.relu().scalars, [0, 0, 2], "relu")
        assertClose(x.abs().scalars, [1, 0, 2], "abs")
        assertClose(x.elu().scalars, [-0.63212056, 0, 2], "elu")
        assertClose(x.sigmoid().scalars, [0.26894142, 0.5, 0.88079708], "sigmoid")
        assertClose(x.softplus().scalars, [0.31326169, 0.69314718, 2.12692801], "softplus")
        assertClose(x.tanh().scalars, [-0.76159416, 0, 0.96402758], "tanh")
        assertClose(x.gelu().scalars, [-0.15880801, 0, 1.95459769], "gelu (tanh approximation)")
        assertClose(Tensor([1], shape: [1]).gelu().scalars, [0.84119199], "gelu(1)")
        assertClose(x.exp().scalars, [0.36787944, 1, 7.3890561], "exp")
        assertClose(Tensor([1, 4, 0.25], shape: [3]).sqrt().scalars, [1, 2, 0.5], "sqrt")
        assertClose(Tensor([1, 2.718281828, 0.5], shape: [3]).log().scalars, [0, 1, -0.69314718], "log")
        assertClose(Tensor([2, 3], shape: [2]).pow(Tensor([3, 0.5], shape: [2])).scalars, [8, 1.73205081], "pow(tensor)")
        assertClose(Tensor([2, 3], shape: [2]).pow(3).scalars, [8, 27], "pow(3)")
        assertClose(Tensor([4, 9], shape: [2]).pow(-0.5).scalars, [0.5, 0.33333333], "pow(-0.5)")
        assertClose(x.maximum(Tensor(scalar: 0.5)).scalars, [0.5, 0.5, 2], "maximum")
        assertClose(x.minimum(Tensor(scalar: 0.5)).scalars, [-1, 0, 0.5], "minimum")
        assertClose((x / Tensor([2, 4, -8], shape: [3])).scalars, [-0.5, 0, -0.25], "div")
    }

    func testConstructorsAndAccessors() {
        XCTAssertEqual(Tensor.zeros([2, 2]).scalars, [0, 0, 0, 0])
        XCTAssertEqual(Tensor.ones([3]).scalars, [1, 1, 1])
        XCTAssertEqual(Tensor(scalar: 4).shape, [])
        XCTAssertEqual(Tensor(scalar: 4).item, 4)
        var t = Tensor([1, 2, 3, 4, 5, 6], shape: [2, 3])
        XCTAssertEqual(t[1, 2], 6)
        let copy = t
        t[0, 1] = 20
        XCTAssertEqual(t.scalars, [1, 20, 3, 4, 5, 6])
        XCTAssertEqual(copy.scalars, [1, 2, 3, 4, 5, 6], "value semantics: the copy is unchanged")
        XCTAssertEqual(t.count, 6)
        XCTAssertEqual(t.rank, 2)
    }
}
