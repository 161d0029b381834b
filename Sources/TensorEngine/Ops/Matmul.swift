import COpenBLAS

/// Row-major `C[m×n] = alpha · op(A) · op(B) + beta · C` through `cblas_sgemm`.
@usableFromInline
func sgemm(_ transA: Bool, _ transB: Bool, _ m: Int, _ n: Int, _ k: Int,
           _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
           beta: Float = 0) {
    cblas_sgemm(CblasRowMajor,
                transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                Int32(m), Int32(n), Int32(k), 1,
                a, Int32(transA ? m : k), b, Int32(transB ? k : n), beta, c, Int32(n))
}

/// `sgemm` with explicit leading dimensions, for operands that are strided views
/// (a head's columns inside a `[N, 3D]` projection) rather than whole matrices.
@usableFromInline
func sgemm(_ transA: Bool, _ transB: Bool, _ m: Int, _ n: Int, _ k: Int,
           _ a: UnsafePointer<Float>, lda: Int, _ b: UnsafePointer<Float>, ldb: Int,
           _ c: UnsafeMutablePointer<Float>, ldc: Int, alpha: Float = 1, beta: Float = 0) {
    cblas_sgemm(CblasRowMajor,
                transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
}

/// Sets the thread count OpenBLAS uses for matrix products.
public func setBLASThreads(_ n: Int) { openblas_set_num_threads(Int32(n)) }
/// The thread count OpenBLAS uses.
public func blasThreads() -> Int { Int(openblas_get_num_threads()) }

extension Tensor {
    /// Matrix product over the last two axes, transposes handed to BLAS rather than copied.
    ///
    /// - `[M, K] × [K, N] → [M, N]`
    /// - `[..., M, K] × [K, N] → [..., M, N]` (one GEMM over the flattened leading axes)
    /// - `[B..., M, K] × [B..., K, N] → [B..., M, N]` (batched; equal leading axes)
    ///
    /// With `transposeA`/`transposeB` the operand's last two axes are read swapped.
    public func matmul(_ other: Tensor, transposeA: Bool = false, transposeB: Bool = false) -> Tensor {
        let a = self, b = other
        precondition(a.rank >= 2 && b.rank >= 2, "matmul: shapes \(a.shape) and \(b.shape) need rank ≥ 2")
        let (ar, ac) = (a.shape[a.rank - 2], a.shape[a.rank - 1])
        let (br, bc) = (b.shape[b.rank - 2], b.shape[b.rank - 1])
        let m = transposeA ? ac : ar, k = transposeA ? ar : ac
        let k2 = transposeB ? bc : br, n = transposeB ? br : bc
        precondition(k == k2, "matmul: shapes \(a.shape)\(transposeA ? "ᵀ" : "") and \(b.shape)\(transposeB ? "ᵀ" : "") do not match (\(k) vs \(k2))")
        let lead = Array(a.shape.dropLast(2))
        if b.rank == 2 {
            if !transposeA || a.rank == 2 {
                // Flatten the leading axes into M: one large GEMM.
                let rows = shapeCount(lead) * m
                let y = Tensor.uninitialized(lead + [m, n])
                sgemm(transposeA, transposeB, rows, n, k, a.storage.data, b.storage.data, y.storage.data)
                return Tensor.record("matmul", y, [a, b]) { g in
                    if let na = a.node {
                        let da = Tensor.uninitialized(a.shape)
                        if transposeA {  // dA = B · gᵀ  (shape K×M)
                            sgemm(transposeB, true, k, m, n, b.storage.data, g.storage.data, da.storage.data)
                        } else {         // dA = g · Bᵀ
                            sgemm(false, !transposeB, rows, k, n, g.storage.data, b.storage.data, da.storage.data)
                        }
                        na.accumulate(da)
                    }
                    if let nb = b.node {
                        let db = Tensor.uninitialized(b.shape)
                        if transposeB {  // dB = gᵀ · A  (shape N×K)
                            sgemm(true, transposeA, n, k, rows, g.storage.data, a.storage.data, db.storage.data)
                        } else {         // dB = Aᵀ · g
                            sgemm(!transposeA, false, k, n, rows, a.storage.data, g.storage.data, db.storage.data)
                        }
                        nb.accumulate(db)
                    }
                }
            }
        }
        // A 2-D B reaches here only under a transposed A with leading axes, which
        // cannot be flattened into M: every batch then reads the same B (stride 0).
        let sharedB = b.rank == 2
        let blead = sharedB ? lead : Array(b.shape.dropLast(2))
        precondition(lead == blead, "matmul: batch axes of \(a.shape) and \(b.shape) differ")
        let batch = shapeCount(lead)
        let y = Tensor.uninitialized(lead + [m, n])
        let sa = ar * ac, sb = sharedB ? 0 : br * bc, sy = m * n
        for i in 0..<batch {
            sgemm(transposeA, transposeB, m, n, k, a.storage.data + i * sa, b.storage.data + i * sb, y.storage.data + i * sy)
        }
        return Tensor.record("bmm", y, [a, b]) { g in
            if let na = a.node {
                let da = Tensor.uninitialized(a.shape)
                for i in 0..<batch {
                    let gp = g.storage.data + i * sy, bp = b.storage.data + i * sb, dp = da.storage.data + i * sa
                    if transposeA { sgemm(transposeB, true, k, m, n, bp, gp, dp) } else { sgemm(false, !transposeB, m, k, n, gp, bp, dp) }
                }
                na.accumulate(da)
            }
            if let nb = b.node {
                // A shared B sums its gradient over the batches: start from zero, GEMM with beta 1.
                let db = sharedB ? Tensor.zeros(b.shape) : Tensor.uninitialized(b.shape)
                let beta: Float = sharedB ? 1 : 0
                for i in 0..<batch {
                    let gp = g.storage.data + i * sy, ap = a.storage.data + i * sa, dp = db.storage.data + i * sb
                    if transposeB { sgemm(true, transposeA, n, k, m, gp, ap, dp, beta: beta) } else { sgemm(!transposeA, false, k, n, m, ap, gp, dp, beta: beta) }
                }
                nb.accumulate(db)
            }
        }
    }
}
