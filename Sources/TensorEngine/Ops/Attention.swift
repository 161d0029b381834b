import Foundation

extension Tensor {
    /// Multi-head scaled dot-product self-attention over the elements of each set,
    /// fused: reads the heads' Q, K and V straight out of the `[B, N, 3D]`
    /// projection through BLAS leading dimensions, so no permute copies are made.
    ///
    /// - Parameters:
    ///   - qkv: `[B, N, 3D]`, the concatenated projections `[Q | K | V]`, head `h`
    ///     owning columns `h·dh ..< (h+1)·dh` of each part (`dh = D / heads`).
    ///   - mask: `[B, N]`, 1 for real elements; padded keys get weight 0, and a
    ///     query row with no real key produces zeros.
    /// - Returns: `[B, N, D]`, the heads' outputs side by side.
    public func multiHeadSelfAttention(heads: Int, mask: Tensor) -> Tensor {
        let qkv = self
        precondition(rank == 3 && shape[2] % (3 * heads) == 0,
                     "multiHeadSelfAttention: qkv shape \(shape) is not [B, N, 3·D] with D divisible by \(heads) heads")
        let b = shape[0], n = shape[1], d = shape[2] / 3, dh = d / heads
        precondition(mask.shape == [b, n], "multiHeadSelfAttention: mask shape \(mask.shape) does not match [\(b), \(n)]")
        let scale = 1 / Float(dh).squareRoot()
        let ld = 3 * d
        let y = Tensor.uninitialized([b, n, d])
        let probs = Tensor.uninitialized([b, heads, n, n])              // softmax weights, kept for backward
        let px = qkv.storage.data, py = y.storage.data, pp = probs.storage.data, pm = mask.storage.data
        for bi in 0..<b {
            let base = px + bi * n * ld
            let maskRow = pm + bi * n
            for h in 0..<heads {
                let p = pp + (bi * heads + h) * n * n
                // S = Q Kᵀ · scale   [N, N]
                sgemm(false, true, n, n, dh, base + h * dh, lda: ld, base + d + h * dh, ldb: ld, p, ldc: n, alpha: scale)
                for i in 0..<n {
                    let row = p + i * n
                    var m = -Float.infinity
                    for j in 0..<n where maskRow[j] != 0 { m = Swift.max(m, row[j]) }
                    if m == -.infinity { for j in 0..<n { row[j] = 0 }; continue }
                    var s: Float = 0
                    for j in 0..<n {
                        let e = maskRow[j] != 0 ? Foundation.exp(row[j] - m) : 0
                        row[j] = e; s += e
                    }
                    let r = 1 / s
                    for j in 0..<n { row[j] *= r }
                }
                // O_h = P V   [N, dh] into columns h·dh of y
                sgemm(false, false, n, dh, n, p, lda: n, base + 2 * d + h * dh, ldb: ld, py + bi * n * d + h * dh, ldc: d)
            }
        }
        return Tensor.record("multiHeadSelfAttention", y, [qkv]) { g in
            guard let node = qkv.node else { return }
            let dx = Tensor.zeros(qkv.shape)
            var dp = [Float](repeating: 0, count: n * n)
            let pg = g.storage.data, pdx = dx.storage.data, px = qkv.storage.data, pp = probs.storage.data
            dp.withUnsafeMutableBufferPointer { dpb in
                let dS = dpb.baseAddress!
                for bi in 0..<b {
                    let base = px + bi * n * ld, dbase = pdx + bi * n * ld
                    for h in 0..<heads {
                        let p = pp + (bi * heads + h) * n * n
                        let gO = pg + bi * n * d + h * dh
                        // dV = Pᵀ dO
                        sgemm(true, false, n, dh, n, p, lda: n, gO, ldb: d, dbase + 2 * d + h * dh, ldc: ld)
                        // dP = dO Vᵀ
                        sgemm(false, true, n, n, dh, gO, lda: d, base + 2 * d + h * dh, ldb: ld, dS, ldc: n)
                        // dS = P ⊙ (dP − rowsum(dP ⊙ P)), then the 1/√dh of the scores
                        for i in 0..<n {
                            var dot: Float = 0
                            for j in 0..<n { dot += dS[i * n + j] * p[i * n + j] }
                            for j in 0..<n { dS[i * n + j] = p[i * n + j] * (dS[i * n + j] - dot) * scale }
                        }
                        // dQ = dS K,  dK = dSᵀ Q
                        sgemm(false, false, n, dh, n, dS, lda: n, base + d + h * dh, ldb: ld, dbase + h * dh, ldc: ld)
                        sgemm(true, false, n, dh, n, dS, lda: n, base + h * dh, ldb: ld, dbase + d + h * dh, ldc: ld)
                    }
                }
            }
            node.accumulate(dx)
        }
    }
}
