import XCTest
@testable import TensorEngine

/// The finite-difference harness itself: it must pass correct gradients, catch
/// wrong ones, and compare every element.
final class GradientCheckHarnessTests: XCTestCase {
    /// x² with a deliberately wrong backward (3x instead of 2x).
    func wrongSquare(_ x: Tensor) -> Tensor {
        let y = x.detached() * x.detached()
        return Tensor.record("wrongSquare", y, [x]) { g in x.node?.accumulate(g * x.detached() * 3) }
    }

    /// x² whose backward forgets the gradient of one element.
    func leakySquare(_ x: Tensor) -> Tensor {
        let y = x.detached() * x.detached()
        return Tensor.record("leakySquare", y, [x]) { g in
            var d = g * x.detached() * 2
            d.withUnsafeMutableBufferPointer { $0[$0.count - 1] = 0 }
            x.node?.accumulate(d)
        }
    }

    func testCorrectGradientPassesAndEveryElementIsCompared() {
        let a = Inputs(seed: 1).uniform([2, 3]), b = Inputs(seed: 2).uniform([3])
        let result = compareGradients([a, b]) { $0[0] * $0[1] + $0[0] * $0[0] }
        XCTAssertNil(result.nonFiniteOutput)
        XCTAssertEqual(result.compared, 9)
        XCTAssertTrue(result.mismatches.isEmpty, "\(result.mismatches)")
    }

    func testWrongGradientIsCaughtAtEveryElement() {
        let x = Inputs(seed: 3).awayFromZero([2, 3])
        let result = compareGradients([x]) { self.wrongSquare($0[0]) }
        XCTAssertEqual(result.mismatches.count, 6)
        let first = result.mismatches[0]
        XCTAssertEqual(first.input, 0)
        XCTAssertEqual(first.index, [0, 0])
        XCTAssertEqual(first.autodiff / first.numeric, 1.5, accuracy: 1e-2, "autodiff 3x against numeric 2x")
        XCTAssertTrue(first.description.contains("[0, 0]"), first.description)
    }

    func testMissingGradientOfOneElementIsCaught() {
        let x = Inputs(seed: 4).awayFromZero([2, 3])
        let result = compareGradients([x]) { self.leakySquare($0[0]) }
        XCTAssertEqual(result.mismatches.map(\.index), [[1, 2]])
    }

    func testNonScalarOutputsAreWeightedElementwise() {
        // Swapping two outputs leaves Σ y unchanged but not Σ y ⊙ R: a backward that
        // routes gradients to the wrong element must fail even though the sum agrees.
        let x = Tensor([0.5, -1, 2], shape: [3])
        let swapped = compareGradients([x]) { x in
            let y = x[0].detached().scaled(by: 2)
            return Tensor.record("misrouted", y, [x[0]]) { g in
                x[0].node?.accumulate(g.indexSelect(axis: 0, [1, 0, 2]).scaled(by: 2))
            }
        }
        XCTAssertFalse(swapped.mismatches.isEmpty)
    }

    func testNonFiniteOutputIsReported() {
        let result = compareGradients([Tensor([-1, 1], shape: [2])]) { $0[0].log() }
        XCTAssertNotNil(result.nonFiniteOutput)
    }

    func testToleranceIsAbsolutePlusRelative() {
        let t = Tolerance(absolute: 2e-3, relative: 2e-2)
        XCTAssertTrue(t.accepts(0.0019, 0))
        XCTAssertFalse(t.accepts(0.0021, 0))
        XCTAssertTrue(t.accepts(101.9, 100))     // 2e-3 + 2 = 2.002
        XCTAssertFalse(t.accepts(102.1, 100))
        XCTAssertTrue(t.accepts(-98.0, -100))
        XCTAssertFalse(t.accepts(1, -1))
    }
}
