/// How two shapes broadcast against each other, reduced to the fewest loops.
///
/// Shapes are right-aligned, size-1 axes get stride 0, and adjacent axes whose
/// strides are contiguous in all three tensors are merged, so `[B, N, D] + [D]`
/// becomes one outer loop over `B·N` with a contiguous inner loop over `D`.
@usableFromInline
struct BroadcastPlan {
    @usableFromInline var outShape: [Int]
    /// Collapsed extents and strides (element units), outermost first.
    @usableFromInline var dims: [Int]
    @usableFromInline var strideA: [Int]
    @usableFromInline var strideB: [Int]

    @usableFromInline
    init(_ op: String, _ a: [Int], _ b: [Int]) {
        let rank = Swift.max(a.count, b.count)
        let pa = Array(repeating: 1, count: rank - a.count) + a
        let pb = Array(repeating: 1, count: rank - b.count) + b
        var out = [Int](repeating: 1, count: rank)
        for i in 0..<rank {
            if pa[i] == pb[i] || pb[i] == 1 { out[i] = pa[i] } else if pa[i] == 1 { out[i] = pb[i] } else {
                preconditionFailure("\(op): shapes \(a) and \(b) are not broadcastable")
            }
        }
        outShape = out
        func strides(_ s: [Int]) -> [Int] {
            var st = [Int](repeating: 0, count: rank)
            var acc = 1
            for i in stride(from: rank - 1, through: 0, by: -1) {
                st[i] = s[i] == 1 ? 0 : acc
                acc *= s[i]
            }
            return st
        }
        let sa = strides(pa), sb = strides(pb)
        var d: [Int] = [], xa: [Int] = [], xb: [Int] = []
        for i in 0..<rank where out[i] != 1 {
            if let last = d.last, xa.last! == sa[i] * out[i], xb.last! == sb[i] * out[i] {
                d[d.count - 1] = last * out[i]
                xa[xa.count - 1] = sa[i]
                xb[xb.count - 1] = sb[i]
            } else {
                d.append(out[i]); xa.append(sa[i]); xb.append(sb[i])
            }
        }
        if d.isEmpty { d = [1]; xa = [0]; xb = [0] }
        dims = d
        strideA = xa
        strideB = xb
    }

    /// Calls `body(offsetA, offsetB, offsetOut, n, innerStrideA, innerStrideB)` once per inner row.
    @inlinable
    func forEachRow(_ body: (Int, Int, Int, Int, Int, Int) -> Void) {
        // An empty extent means no elements: the odometer below would still visit one row.
        if dims.contains(0) { return }
        let r = dims.count
        let n = dims[r - 1], ia = strideA[r - 1], ib = strideB[r - 1]
        if r == 1 { body(0, 0, 0, n, ia, ib); return }
        var idx = [Int](repeating: 0, count: r - 1)
        var oa = 0, ob = 0, oo = 0
        while true {
            body(oa, ob, oo, n, ia, ib)
            oo += n
            var k = r - 2
            while k >= 0 {
                idx[k] += 1
                oa += strideA[k]; ob += strideB[k]
                if idx[k] < dims[k] { break }
                oa -= strideA[k] * dims[k]; ob -= strideB[k] * dims[k]
                idx[k] = 0
                k -= 1
            }
            if k < 0 { return }
        }
    }
}

@inlinable func shapeCount(_ s: [Int]) -> Int { s.reduce(1, *) }

extension Tensor {
    /// Sums a broadcast gradient back down to `shape` (the backward of broadcasting).
    @usableFromInline
    func sumTo(_ target: [Int]) -> Tensor {
        if target == shape { return self }
        let plan = BroadcastPlan("sumTo", shape, target)
        precondition(plan.outShape == shape, "sumTo: cannot reduce \(shape) to \(target)")
        var out = Tensor.zeros(target)
        let src = storage.data
        out.withUnsafeMutableBufferPointer { dst in
            let d = dst.baseAddress!
            plan.forEachRow { _, ob, oo, n, _, ib in
                if ib == 0 {
                    var s: Float = 0
                    for j in 0..<n { s += src[oo + j] }
                    d[ob] += s
                } else {
                    for j in 0..<n { d[ob + j] += src[oo + j] }
                }
            }
        }
        return out
    }
}
