import XCTest
@testable import TensorEngine

/// Right-aligned broadcasting in both directions: forward values against an
/// index-by-index reference, and gradients summed back to each operand's shape.
final class BroadcastingTests: XCTestCase {
    /// Shape pairs that broadcast to `[2, 3, 4]`, each tried in both operand orders.
    let pairs: [([Int], [Int])] = [
        ([2, 3, 4], [2, 3, 4]),
        ([2, 3, 4], [4]),
        ([2, 3, 4], [3, 1]),
        ([2, 3, 4], [2, 1, 4]),
        ([2, 3, 4], [1, 3, 1]),
        ([2, 3, 4], [2, 1, 1]),
        ([2, 3, 4], []),
        ([2, 3, 4], [1]),
        ([2, 1, 4], [3, 1]),  // both sides broadcast
        ([2, 1, 1], [3, 4]),
    ]

    /// The value at output index `index` of an operand of `shape` broadcast right-aligned.
    func broadcastValue(_ t: Tensor, at index: [Int]) -> Float {
        let offset = index.count - t.rank
        let own = t.shape.enumerated().map { axis, extent in extent == 1 ? 0 : index[offset + axis] }
        return t.scalars[flat(own, t.shape)]
    }

    func flat(_ index: [Int], _ shape: [Int]) -> Int {
        zip(index, shape).reduce(0) { $0 * $1.1 + $1.0 }
    }

    func testForwardMatchesIndexByIndexReference() {
        let inputs = Inputs(seed: 1)
        for (p, q) in pairs {
            for (sa, sb) in [(p, q), (q, p)] {
                let a = inputs.uniform(sa), b = inputs.uniform(sb, 0.5, 2)
                let sum = a + b, difference = a - b, product = a * b, quotient = a / b
                XCTAssertEqual(sum.shape, [2, 3, 4], "shape of \(sa) + \(sb)")
                for j in 0..<sum.count {
                    let index = multiIndex(j, in: sum.shape)
                    let x = broadcastValue(a, at: index), y = broadcastValue(b, at: index)
                    XCTAssertEqual(sum.scalars[j], x + y, "\(sa) + \(sb) at \(index)")
                    XCTAssertEqual(difference.scalars[j], x - y, "\(sa) - \(sb) at \(index)")
                    XCTAssertEqual(product.scalars[j], x * y, "\(sa) * \(sb) at \(index)")
                    XCTAssertEqual(quotient.scalars[j], x / y, "\(sa) / \(sb) at \(index)")
                }
            }
        }
    }

    func testArithmeticGradientsInBothDirections() {
        let inputs = Inputs(seed: 2)
        for (p, q) in pairs {
            for (sa, sb) in [(p, q), (q, p)] {
                let a = inputs.uniform(sa), b = inputs.uniform(sb)
                let positive = inputs.uniform(sb, 0.5, 2)
                checkGradients("add \(sa) + \(sb)", [a, b]) { $0[0] + $0[1] }
                checkGradients("sub \(sa) - \(sb)", [a, b]) { $0[0] - $0[1] }
                checkGradients("mul \(sa) * \(sb)", [a, b]) { $0[0] * $0[1] }
                checkGradients("div \(sa) / \(sb)", [a, positive]) { $0[0] / $0[1] }
            }
        }
    }

    func testPowMaximumAndMinimumGradientsInBothDirections() {
        let inputs = Inputs(seed: 3)
        for (p, q) in pairs.dropFirst() {
            for (sa, sb) in [(p, q), (q, p)] {
                let base = inputs.uniform(sa, 0.5, 2), exponent = inputs.uniform(sb, -1, 2)
                checkGradients("pow \(sa) ^ \(sb)", [base, exponent]) { $0[0].pow($0[1]) }
                // Operands whose broadcast values are at least 0.15 apart: one side in [-2, -1.15] ∪ [1.15, 2], the other in [-1, 1].
                let a = inputs.uniform(sa), b = Tensor(inputs.awayFromZero(sb).scalars.map { $0 + ($0 > 0 ? 0.95 : -0.95) }, shape: sb)
                checkGradients("maximum \(sa), \(sb)", [a, b]) { $0[0].maximum($0[1]) }
                checkGradients("minimum \(sa), \(sb)", [a, b]) { $0[0].minimum($0[1]) }
            }
        }
    }

    func testBroadcastOperandGradientIsSummedOverBroadcastAxes() {
        // d/db Σ (a + b) for b broadcast along axes 0 and 2 counts every use of b.
        let a = Tensor.zeros([2, 3, 4]).requiringGrad(), b = Tensor.zeros([3, 1]).requiringGrad()
        (a + b).sum().backward()
        XCTAssertEqual(b.grad?.shape, [3, 1])
        XCTAssertEqual(b.grad?.scalars, [8, 8, 8])
        XCTAssertEqual(a.grad?.scalars, [Float](repeating: 1, count: 24))
        let s = Tensor(scalar: 2).requiringGrad(), x = Tensor((0..<6).map(Float.init), shape: [2, 3])
        (x * s).sum().backward()
        XCTAssertEqual(s.grad?.shape, [])
        XCTAssertEqual(s.grad?.item, 15)
    }

    func testEmptyTensorsBroadcastToEmptyResults() {
        // A zero extent (an empty batch) must produce no rows, not one row read past the buffer.
        let a = Tensor.zeros([0, 3]).requiringGrad(), b = Tensor([1, 2, 3], shape: [3]).requiringGrad()
        let y = a * b + b
        XCTAssertEqual(y.shape, [0, 3])
        XCTAssertEqual(y.count, 0)
        y.sum().backward()
        XCTAssertEqual(a.grad?.shape, [0, 3])
        XCTAssertEqual(b.grad?.scalars, [0, 0, 0], "nothing flows back from an empty batch")
        let masked = Tensor.zeros([2, 0, 3]).maskedFill(Tensor.ones([2, 1, 3]), with: 0)
        XCTAssertEqual(masked.shape, [2, 0, 3])
        XCTAssertEqual(Tensor.zeros([0, 4]).expanded(to: [2, 0, 4]).shape, [2, 0, 4])
    }

    func testMaskedFillBroadcastsTheMask() {
        let x = Inputs(seed: 4).uniform([2, 3, 4])
        let mask = Tensor([1, 0, 1, 1, 0, 1, 1, 0], shape: [2, 1, 4])
        let y = x.maskedFill(mask, with: -7)
        for j in 0..<y.count {
            let index = multiIndex(j, in: y.shape)
            XCTAssertEqual(y.scalars[j], mask[index[0], 0, index[2]] != 0 ? x.scalars[j] : -7, "maskedFill at \(index)")
        }
        checkGradients("maskedFill [2,3,4] with mask [2,1,4]", [x]) { $0[0].maskedFill(mask, with: -7) }
        checkGradients("maskedFill with mask [4]", [x]) { $0[0].maskedFill(Tensor([0, 1, 1, 0], shape: [4]), with: 0) }
    }

    func testExpandedMatchesBroadcastAndSumsItsGradient() {
        let inputs = Inputs(seed: 5)
        for source in [[4], [3, 1], [2, 1, 4], [1, 1, 1], []] {
            let x = inputs.uniform(source)
            let y = x.expanded(to: [2, 3, 4])
            XCTAssertEqual(y.scalars, (x + Tensor.zeros([2, 3, 4])).scalars, "expand \(source)")
            checkGradients("expanded \(source) to [2,3,4]", [x]) { $0[0].expanded(to: [2, 3, 4]) }
        }
    }
}
