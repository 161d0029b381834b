import XCTest
@testable import TensorEngine

/// Matrix products: forward values by hand, and gradients for every transpose
/// combination of the 2-D, flattened-leading-axes and batched forms.
final class MatmulTests: XCTestCase {
    /// A plain triple loop over `[M, K] × [K, N]`, the reference for the BLAS path.
    func reference(_ a: [Float], _ b: [Float], m: Int, k: Int, n: Int) -> [Float] {
        var c = [Float](repeating: 0, count: m * n)
        for i in 0..<m { for j in 0..<n { for t in 0..<k { c[i * n + j] += a[i * k + t] * b[t * n + j] } } }
        return c
    }

    // MARK: - Forward values

    func testSmallProductsByHand() {
        let a = Tensor([1, 2, 3, 4], shape: [2, 2]), b = Tensor([5, 6, 7, 8], shape: [2, 2])
        assertClose(a.matmul(b), [19, 22, 43, 50], shape: [2, 2], "A·B")
        assertClose(a.matmul(b, transposeA: true), [26, 30, 38, 44], shape: [2, 2], "Aᵀ·B")
        assertClose(a.matmul(b, transposeB: true), [17, 23, 39, 53], shape: [2, 2], "A·Bᵀ")
        assertClose(a.matmul(b, transposeA: true, transposeB: true), [23, 31, 34, 46], shape: [2, 2], "Aᵀ·Bᵀ")
        // [2, 3] × [3, 1]
        let c = Tensor([1, 2, 3, 4, 5, 6], shape: [2, 3]), v = Tensor([1, 0, -1], shape: [3, 1])
        assertClose(c.matmul(v), [-2, -2], shape: [2, 1], "[2,3]×[3,1]")
    }

    func testTransposeFlagsMatchExplicitTransposes() {
        let inputs = Inputs(seed: 1)
        let a = inputs.uniform([3, 4]), b = inputs.uniform([4, 5])
        let plain = a.matmul(b).scalars
        assertClose(plain, reference(a.scalars, b.scalars, m: 3, k: 4, n: 5), "A·B vs loop")
        let at = a.transposed(), bt = b.transposed()
        assertClose(at.matmul(b, transposeA: true).scalars, plain, "Aᵀᵀ·B")
        assertClose(a.matmul(bt, transposeB: true).scalars, plain, "A·Bᵀᵀ")
        assertClose(at.matmul(bt, transposeA: true, transposeB: true).scalars, plain, "Aᵀᵀ·Bᵀᵀ")
    }

    func testLeadingAxesAndBatchesMatchPerSliceProducts() {
        let inputs = Inputs(seed: 2)
        let a = inputs.uniform([2, 3, 4]), w = inputs.uniform([4, 5]), b = inputs.uniform([2, 4, 5])
        let shared = a.matmul(w), batched = a.matmul(b)
        XCTAssertEqual(shared.shape, [2, 3, 5])
        XCTAssertEqual(batched.shape, [2, 3, 5])
        for i in 0..<2 {
            let ai = a.slice(axis: 0, i..<(i + 1)).scalars, bi = b.slice(axis: 0, i..<(i + 1)).scalars
            assertClose(shared.slice(axis: 0, i..<(i + 1)).scalars, reference(ai, w.scalars, m: 3, k: 4, n: 5), "[B,M,K]×[K,N] batch \(i)")
            assertClose(batched.slice(axis: 0, i..<(i + 1)).scalars, reference(ai, bi, m: 3, k: 4, n: 5), "[B,M,K]×[B,K,N] batch \(i)")
        }
    }

    func testTransposedLeadingAxesTimesSharedMatrix() {
        // [B, K, M]ᵀ × [K, N]: each batch's transpose against one shared matrix.
        let inputs = Inputs(seed: 3)
        let a = inputs.uniform([2, 4, 3]), w = inputs.uniform([4, 5])
        let y = a.matmul(w, transposeA: true)
        XCTAssertEqual(y.shape, [2, 3, 5])
        assertClose(y.scalars, a.transposed().matmul(w).scalars, "[B,K,M]ᵀ×[K,N]")
    }

    // MARK: - Gradients

    func testTwoDimensionalGradientsForAllTransposes() {
        let inputs = Inputs(seed: 10)
        let (m, k, n) = (3, 4, 2)
        for transposeA in [false, true] {
            for transposeB in [false, true] {
                let a = inputs.uniform(transposeA ? [k, m] : [m, k]), b = inputs.uniform(transposeB ? [n, k] : [k, n])
                checkGradients("matmul 2-D transposeA: \(transposeA) transposeB: \(transposeB)", [a, b]) {
                    $0[0].matmul($0[1], transposeA: transposeA, transposeB: transposeB)
                }
            }
        }
    }

    func testLeadingAxesTimesSharedMatrixGradients() {
        let inputs = Inputs(seed: 11)
        for transposeB in [false, true] {
            let a = inputs.uniform([2, 3, 4]), w = inputs.uniform(transposeB ? [5, 4] : [4, 5])
            checkGradients("matmul [B,M,K]×[K,N] transposeB: \(transposeB)", [a, w]) { $0[0].matmul($0[1], transposeB: transposeB) }
            let a4 = inputs.uniform([2, 2, 3, 4])
            checkGradients("matmul [B,H,M,K]×[K,N] transposeB: \(transposeB)", [a4, w]) { $0[0].matmul($0[1], transposeB: transposeB) }
        }
        for transposeB in [false, true] {
            let a = inputs.uniform([2, 4, 3]), w = inputs.uniform(transposeB ? [5, 4] : [4, 5])
            checkGradients("matmul [B,K,M]ᵀ×[K,N] transposeB: \(transposeB)", [a, w]) {
                $0[0].matmul($0[1], transposeA: true, transposeB: transposeB)
            }
        }
    }

    func testBatchedGradientsForAllTransposes() {
        let inputs = Inputs(seed: 12)
        let (m, k, n) = (3, 4, 2)
        for transposeA in [false, true] {
            for transposeB in [false, true] {
                let a = inputs.uniform([2] + (transposeA ? [k, m] : [m, k])), b = inputs.uniform([2] + (transposeB ? [n, k] : [k, n]))
                checkGradients("matmul batched transposeA: \(transposeA) transposeB: \(transposeB)", [a, b]) {
                    $0[0].matmul($0[1], transposeA: transposeA, transposeB: transposeB)
                }
            }
        }
        let a = inputs.uniform([2, 2, 3, 4]), b = inputs.uniform([2, 2, 2, 4])
        checkGradients("matmul batched rank 4 (attention scores Q·Kᵀ)", [a, b]) { $0[0].matmul($0[1], transposeB: true) }
    }

    func testSelfProductGradient() {
        // The same value on both sides: X·Xᵀ.
        let x = Inputs(seed: 13).uniform([3, 4])
        checkGradients("X·Xᵀ", [x]) { $0[0].matmul($0[0], transposeB: true) }
        checkGradients("Xᵀ·X batched", [Inputs(seed: 14).uniform([2, 3, 4])]) { $0[0].matmul($0[0], transposeA: true) }
    }
}
