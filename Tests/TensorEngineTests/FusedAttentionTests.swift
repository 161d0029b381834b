import XCTest
@testable import TensorEngine

/// The fused multi-head self-attention must equal the same computation composed
/// from the general ops (permute, batched matmul, masked softmax), forward and
/// backward, and pass a finite-difference check of its own.
final class FusedAttentionTests: XCTestCase {
    let (b, n, d, heads) = (2, 5, 8, 2)

    var mask: Tensor { Tensor([1, 1, 1, 0, 0, 1, 1, 1, 1, 1], shape: [2, 5]) }

    /// The unfused reference: split heads with permutes, softmax over masked keys.
    func reference(_ qkv: Tensor, mask: Tensor) -> Tensor {
        let dh = d / heads
        let p = qkv.reshaped([b, n, 3, heads, dh]).permuted([2, 0, 3, 1, 4])   // [3, B, H, N, dh]
        let q = p.slice(axis: 0, 0..<1).reshaped([b * heads, n, dh])
        let k = p.slice(axis: 0, 1..<2).reshaped([b * heads, n, dh])
        let v = p.slice(axis: 0, 2..<3).reshaped([b * heads, n, dh])
        let s = q.matmul(k, transposeB: true).scaled(by: 1 / Float(dh).squareRoot())
        let a = s.reshaped([b, heads, n, n]).maskedSoftmax(mask.reshaped([b, 1, 1, n]), axis: -1).reshaped([b * heads, n, n])
        return a.matmul(v).reshaped([b, heads, n, dh]).permuted([0, 2, 1, 3]).reshaped([b, n, d])
    }

    func testMatchesTheComposedOpsForwardAndBackward() {
        let x = Inputs(seed: 11).uniform([b, n, 3 * d], -1.5, 1.5)
        let r = Inputs(seed: 12).uniform([b, n, d])
        let fusedInput = x.requiringGrad(), referenceInput = x.requiringGrad()
        let fused = fusedInput.multiHeadSelfAttention(heads: heads, mask: mask)
        let composed = reference(referenceInput, mask: mask)
        assertClose(fused.scalars, composed.scalars)
        (fused * r).sum().backward()
        (composed * r).sum().backward()
        assertClose(fusedInput.grad!.scalars, referenceInput.grad!.scalars)
    }

    func testGradientMatchesFiniteDifferences() {
        let m = mask
        checkGradients("multiHeadSelfAttention", [Inputs(seed: 13).uniform([b, n, 3 * d], -1.5, 1.5)]) {
            $0[0].multiHeadSelfAttention(heads: self.heads, mask: m)
        }
    }

    func testPaddedKeysGetNoWeightAndNoGradient() {
        var x = Inputs(seed: 14).uniform([b, n, 3 * d])
        let before = x.multiHeadSelfAttention(heads: heads, mask: mask).slice(axis: 0, 0..<1).scalars
        // Change set 0's padded elements (positions 3, 4) wildly: real queries must not notice.
        x.withUnsafeMutableBufferPointer { p in for i in 3..<5 { for c in 0..<(3 * d) { p[i * 3 * d + c] = 1e3 } } }
        let after = x.multiHeadSelfAttention(heads: heads, mask: mask).slice(axis: 0, 0..<1).scalars
        assertClose(Array(after[0..<(3 * d)]), Array(before[0..<(3 * d)]))
        let leaf = x.requiringGrad()
        (leaf.multiHeadSelfAttention(heads: heads, mask: mask).slice(axis: 1, 0..<3)).sum().backward()
        let g = leaf.grad!.scalars
        for i in 3..<5 { for c in (d)..<(3 * d) { XCTAssertEqual(g[i * 3 * d + c], 0, "padded key/value \(i), column \(c)") } }
    }
}
