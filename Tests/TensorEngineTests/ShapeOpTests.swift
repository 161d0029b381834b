import XCTest
@testable import TensorEngine

/// Reshapes, permutations, slices, joins and gathers: exact forward values and
/// finite-difference gradients.
final class ShapeOpTests: XCTestCase {
    /// 0, 1, 2, … in the given shape, so positions can be read off the values.
    func iota(_ shape: [Int]) -> Tensor { Tensor((0..<shape.reduce(1, *)).map(Float.init), shape: shape) }

    // MARK: - Reshape, squeeze, unsqueeze

    func testReshapeKeepsRowMajorOrder() {
        let x = iota([2, 3, 4])
        let y = x.reshaped([4, -1])
        XCTAssertEqual(y.shape, [4, 6])
        XCTAssertEqual(y.scalars, x.scalars)
        XCTAssertEqual(x.unsqueezed(axis: 1).shape, [2, 1, 3, 4])
        XCTAssertEqual(x.unsqueezed(axis: -1).shape, [2, 3, 4, 1])
        XCTAssertEqual(x.unsqueezed(axis: 0).squeezed(axis: 0).shape, [2, 3, 4])
        XCTAssertEqual(x.reshaped([2, 3, 1, 4]).squeezed(axis: -2).shape, [2, 3, 4])
    }

    func testReshapeGradients() {
        let x = Inputs(seed: 1).uniform([2, 3, 4])
        // An elementwise factor after the reshape makes the gradient position-dependent.
        let w = Inputs(seed: 2).uniform([6, 4])
        checkGradients("reshaped", [x]) { $0[0].reshaped([6, -1]) * w }
        checkGradients("unsqueezed", [x]) { $0[0].unsqueezed(axis: 1).exp() }
        checkGradients("squeezed", [x.reshaped([2, 1, 3, 4])]) { $0[0].squeezed(axis: 1).tanh() }
    }

    // MARK: - Permute and transpose

    func testPermuteForwardValues() {
        let x = iota([2, 3, 4])
        let y = x.permuted([2, 0, 1])
        XCTAssertEqual(y.shape, [4, 2, 3])
        for i in 0..<2 { for j in 0..<3 { for k in 0..<4 { XCTAssertEqual(y[k, i, j], x[i, j, k]) } } }
        let z = iota([2, 3, 4, 5]).permuted([3, 1, 0, 2])
        XCTAssertEqual(z.shape, [5, 3, 2, 4])
        for i in 0..<2 { for j in 0..<3 { for k in 0..<4 { for l in 0..<5 { XCTAssertEqual(z[l, j, i, k], Float(((i * 3 + j) * 4 + k) * 5 + l)) } } } }
        let t = x.transposed()
        XCTAssertEqual(t.shape, [2, 4, 3])
        XCTAssertEqual(t[1, 3, 2], x[1, 2, 3])
        XCTAssertEqual(x.transposed(0, 2).shape, [4, 3, 2])
        XCTAssertEqual(x.permuted([0, 1, 2]).scalars, x.scalars)
    }

    func testPermuteGradients() {
        let inputs = Inputs(seed: 3)
        let x3 = inputs.uniform([2, 3, 4]), x4 = inputs.uniform([2, 3, 2, 3])
        for order in [[0, 2, 1], [2, 0, 1], [1, 2, 0], [2, 1, 0]] {
            checkGradients("permuted \(order) rank 3", [x3]) { $0[0].permuted(order) }
        }
        for order in [[3, 1, 0, 2], [0, 2, 3, 1], [1, 0, 3, 2]] {
            checkGradients("permuted \(order) rank 4", [x4]) { $0[0].permuted(order) }
        }
        checkGradients("transposed()", [x3]) { $0[0].transposed() }
        checkGradients("transposed(0, 2)", [x3]) { $0[0].transposed(0, 2) }
    }

    // MARK: - Slice

    func testSliceForwardValues() {
        let x = iota([2, 3, 4])
        XCTAssertEqual(x.slice(axis: 0, 1..<2).scalars, (12..<24).map(Float.init))
        XCTAssertEqual(x.slice(axis: 1, 1..<3).scalars, [4, 5, 6, 7, 8, 9, 10, 11, 16, 17, 18, 19, 20, 21, 22, 23])
        XCTAssertEqual(x.slice(axis: -1, 2..<4).scalars, [2, 3, 6, 7, 10, 11, 14, 15, 18, 19, 22, 23])
        XCTAssertEqual(x.slice(axis: 2, 1..<1).shape, [2, 3, 0])
    }

    func testSliceGradients() {
        let x = Inputs(seed: 4).uniform([2, 3, 4])
        checkGradients("slice axis 0", [x]) { $0[0].slice(axis: 0, 1..<2) }
        checkGradients("slice axis 1", [x]) { $0[0].slice(axis: 1, 1..<3) }
        checkGradients("slice axis -1", [x]) { $0[0].slice(axis: -1, 0..<3) }
        // Two overlapping slices of one value: their gradients add.
        checkGradients("overlapping slices", [x]) { x in x[0].slice(axis: 2, 0..<3) * x[0].slice(axis: 2, 1..<4) }
    }

    // MARK: - Concat and stack

    func testConcatForwardValues() {
        let a = iota([2, 1, 2]), b = iota([2, 2, 2]) + 100
        let y = Tensor.concat([a, b], axis: 1)
        XCTAssertEqual(y.shape, [2, 3, 2])
        XCTAssertEqual(y.scalars, [0, 1, 100, 101, 102, 103, 2, 3, 104, 105, 106, 107])
        XCTAssertEqual(Tensor.concat([a, a], axis: -1).scalars, [0, 1, 0, 1, 2, 3, 2, 3])
    }

    func testConcatGradients() {
        let inputs = Inputs(seed: 5)
        let a = inputs.uniform([2, 1, 4]), b = inputs.uniform([2, 3, 4]), c = inputs.uniform([2, 2, 4])
        checkGradients("concat axis 1", [a, b, c]) { Tensor.concat($0, axis: 1) }
        checkGradients("concat axis 0", [b, inputs.uniform([1, 3, 4])]) { Tensor.concat($0, axis: 0) }
        checkGradients("concat axis -1", [b, inputs.uniform([2, 3, 2])]) { Tensor.concat($0, axis: -1) }
        checkGradients("concat with a constant part", [b]) { Tensor.concat([$0[0], c], axis: 1).exp() }
    }

    func testStackForwardValuesAndGradients() {
        let inputs = Inputs(seed: 6)
        let a = iota([2, 3]), b = iota([2, 3]) + 10
        XCTAssertEqual(Tensor.stack([a, b]).shape, [2, 2, 3])
        XCTAssertEqual(Tensor.stack([a, b], axis: 1).scalars, [0, 1, 2, 10, 11, 12, 3, 4, 5, 13, 14, 15])
        XCTAssertEqual(Tensor.stack([a, b], axis: -1).shape, [2, 3, 2])
        XCTAssertEqual(Tensor.stack([a, b], axis: -1).scalars, [0, 10, 1, 11, 2, 12, 3, 13, 4, 14, 5, 15])
        let x = inputs.uniform([2, 3]), y = inputs.uniform([2, 3]), z = inputs.uniform([2, 3])
        for axis in [0, 1, 2, -1] {
            checkGradients("stack axis \(axis)", [x, y, z]) { Tensor.stack($0, axis: axis) }
        }
    }

    // MARK: - Index select

    func testIndexSelectWithRepeatedIndices() {
        let x = iota([3, 2])
        let y = x.indexSelect(axis: 0, [2, 0, 2, 2])
        XCTAssertEqual(y.shape, [4, 2])
        XCTAssertEqual(y.scalars, [4, 5, 0, 1, 4, 5, 4, 5])
        XCTAssertEqual(x.indexSelect(axis: 1, [1, 1, 0]).scalars, [1, 1, 0, 3, 3, 2, 5, 5, 4])
        // Backward scatter-adds: row 2 was used three times, row 1 never.
        let leaf = x.requiringGrad()
        leaf.indexSelect(axis: 0, [2, 0, 2, 2]).sum().backward()
        XCTAssertEqual(leaf.grad?.scalars, [1, 1, 0, 0, 3, 3])
    }

    func testIndexSelectGradients() {
        let x = Inputs(seed: 7).uniform([2, 4, 3])
        checkGradients("indexSelect axis 0", [x]) { $0[0].indexSelect(axis: 0, [1, 1, 0]) }
        checkGradients("indexSelect axis 1 repeated", [x]) { $0[0].indexSelect(axis: 1, [3, 0, 3, 3, 2]) }
        checkGradients("indexSelect axis -1", [x]) { $0[0].indexSelect(axis: -1, [2, 2, 0]) }
    }
}
