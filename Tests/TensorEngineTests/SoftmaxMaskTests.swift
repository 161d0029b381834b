import XCTest
@testable import TensorEngine

/// Softmax and log-softmax along every axis, and the masking contract that
/// attention over padded sets relies on: padded positions get zero weight and
/// zero gradient, and a fully padded row gives zeros rather than NaN.
final class SoftmaxMaskTests: XCTestCase {
    func testSoftmaxAndLogSoftmaxOfOneTwoThree() {
        let x = Tensor([1, 2, 3], shape: [3])
        assertClose(x.softmax(), [0.09003057, 0.24472847, 0.66524096], shape: [3], "softmax")
        assertClose(x.logSoftmax(), [-2.40760596, -1.40760596, -0.40760596], shape: [3], "logSoftmax")
        // Shift invariance and no overflow for large logits.
        assertClose((x + 1000).softmax().scalars, [0.09003057, 0.24472847, 0.66524096], "softmax of large logits")
        assertClose((x + 1000).logSoftmax().scalars, [-2.40760596, -1.40760596, -0.40760596], "logSoftmax of large logits")
    }

    func testSoftmaxSumsToOneAlongTheChosenAxis() {
        let x = Inputs(seed: 1).uniform([2, 3, 4], -3, 3)
        for axis in [0, 1, 2, -1, -2] {
            let sums = x.softmax(axis: axis).sum(axis: axis)
            assertClose(sums.scalars, [Float](repeating: 1, count: sums.count), "softmax(axis: \(axis)) sums")
            assertClose(x.logSoftmax(axis: axis).exp().scalars, x.softmax(axis: axis).scalars, "exp(logSoftmax) axis \(axis)")
        }
    }

    func testSoftmaxGradientsAlongEveryAxis() {
        let x = Inputs(seed: 2).uniform([2, 3, 4], -2, 2)
        for axis in [0, 1, 2, -1] {
            checkGradients("softmax(axis: \(axis))", [x]) { $0[0].softmax(axis: axis) }
            checkGradients("logSoftmax(axis: \(axis))", [x]) { $0[0].logSoftmax(axis: axis) }
        }
    }

    // MARK: - Masks

    /// A mask for scores `[B=3, N=4]`: the second set is padded after two elements, the third fully.
    let mask = Tensor([1, 1, 1, 1,
                       1, 1, 0, 0,
                       0, 0, 0, 0], shape: [3, 4])

    func testMaskedSoftmaxGivesPaddedPositionsZeroWeight() {
        let scores = Tensor([0.5, -1, 2, 0.1,
                             1, 2, 30, 40,  // large padded scores must not leak
                             3, 1, 2, 0], shape: [3, 4])
        let w = scores.maskedSoftmax(mask)
        XCTAssertTrue(w.scalars.allSatisfy(\.isFinite), "maskedSoftmax produced \(w)")
        assertClose(w.slice(axis: 0, 0..<1).scalars, scores.slice(axis: 0, 0..<1).softmax().scalars, "unpadded row")
        assertClose(w.slice(axis: 0, 1..<2).scalars, [0.26894142, 0.73105858, 0, 0], "partly padded row")
        XCTAssertEqual(w.slice(axis: 0, 1..<2).scalars[2...], [0, 0], "padded weights are exactly zero")
        XCTAssertEqual(w.slice(axis: 0, 2..<3).scalars, [0, 0, 0, 0], "fully padded row")
    }

    func testMaskedSoftmaxGivesPaddedPositionsZeroGradient() {
        let scores = Inputs(seed: 3).uniform([3, 4], -2, 2).requiringGrad()
        let upstream = Inputs(seed: 4).uniform([3, 4])
        (scores.maskedSoftmax(mask) * upstream).sum().backward()
        let g = scores.grad!
        XCTAssertTrue(g.scalars.allSatisfy(\.isFinite), "gradient \(g)")
        for (j, keep) in mask.scalars.enumerated() where keep == 0 {
            XCTAssertEqual(g.scalars[j], 0, "gradient at padded position \(multiIndex(j, in: [3, 4]))")
        }
        // Softmax gradients sum to zero over the kept positions of a row.
        assertClose(g.sum(axis: 1).scalars, [0, 0, 0], tolerance: Tolerance(absolute: 1e-6, relative: 0), "row sums of the gradient")
    }

    func testMaskedSoftmaxGradients() {
        let inputs = Inputs(seed: 5)
        checkGradients("maskedSoftmax [3,4] with a fully padded row", [inputs.uniform([3, 4], -2, 2)]) { $0[0].maskedSoftmax(self.mask) }
        // Attention-style: scores [B, N, N] with a key mask [B, 1, N].
        let keyMask = Tensor([1, 1, 1, 0,
                              1, 0, 0, 0], shape: [2, 1, 4])
        checkGradients("maskedSoftmax [2,4,4] with mask [2,1,4]", [inputs.uniform([2, 4, 4], -2, 2)]) { $0[0].maskedSoftmax(keyMask) }
        // Mask along a non-last axis: weights over the set axis of [B, N, H].
        let setMask = Tensor([1, 1, 0, 1, 1, 1, 0, 0], shape: [2, 4, 1])
        checkGradients("maskedSoftmax axis 1 with mask [2,4,1]", [inputs.uniform([2, 4, 3], -2, 2)]) { $0[0].maskedSoftmax(setMask, axis: 1) }
        let w = inputs.uniform([2, 4, 3]).maskedSoftmax(setMask, axis: 1)
        assertClose(w.sum(axis: 1).scalars, [Float](repeating: 1, count: 6), "weights over the set axis sum to one")
    }

    // MARK: - Lifetimes

    /// Allocates and fills buffers of `count` floats so that memory freed by a
    /// dropped tensor is likely reused before backward reads it.
    func scribble(count: Int) {
        var keep: [Tensor] = []
        for _ in 0..<64 { keep.append(Tensor(repeating: 1e30, shape: [count])) }
        XCTAssertEqual(keep.count, 64)
    }

    func testBackwardDoesNotNeedTheCallerToKeepOutputsOrMasksAlive() {
        // Only the graph holds the op's output here (scaled(by:) keeps no operand), and
        // the masks are temporaries: backward must not read memory that has been freed.
        typealias Op = (name: String, mask: () -> Tensor, f: (Tensor, Tensor) -> Tensor)
        let ops: [Op] = [
            ("softmax", { .ones([1]) }, { x, _ in x.softmax() }),
            ("logSoftmax", { .ones([1]) }, { x, _ in x.logSoftmax(axis: 0) }),
            ("maskedFill", { Tensor([1, 0, 1, 1, 0, 0, 1, 1, 1, 1, 0, 1], shape: [3, 4]) }, { x, m in x.maskedFill(m, with: 0) }),
            ("maskedSoftmax", { Tensor([1, 1, 0, 1], shape: [4]).unsqueezed(axis: 0) }, { x, m in x.maskedSoftmax(m) }),
        ]
        let x = Inputs(seed: 7).uniform([3, 4], -2, 2)
        let upstream = Inputs(seed: 8).uniform([3, 4])
        for op in ops {
            let leaf = x.requiringGrad()
            let loss = (op.f(leaf, op.mask()).scaled(by: 1) * upstream).sum()
            scribble(count: 12)
            loss.backward()
            let g = leaf.grad!.scalars

            // The same gradient with the caller holding the output and the mask.
            let held = x.requiringGrad(), mask = op.mask()
            let y = op.f(held, mask)
            (y * upstream).sum().backward()
            let expected = withExtendedLifetime((y, mask)) { held.grad!.scalars }

            XCTAssertTrue(g.allSatisfy(\.isFinite), "\(op.name): gradient \(g)")
            assertClose(g, expected, tolerance: Tolerance(absolute: 1e-6, relative: 1e-5), op.name)
        }
    }

    func testFullyPaddedBatchGivesZerosAndNoNaNGradient() {
        let scores = Inputs(seed: 6).uniform([2, 3]).requiringGrad()
        let w = scores.maskedSoftmax(Tensor.zeros([2, 3]))
        XCTAssertEqual(w.scalars, [0, 0, 0, 0, 0, 0])
        w.sum().backward()
        XCTAssertEqual(scores.grad?.scalars, [0, 0, 0, 0, 0, 0])
    }
}
