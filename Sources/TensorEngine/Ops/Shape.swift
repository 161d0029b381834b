extension Tensor {
    /// The same values under a new shape (no copy); one extent may be −1.
    public func reshaped(_ newShape: [Int]) -> Tensor {
        var s = newShape
        if let i = s.firstIndex(of: -1) {
            let known = s.enumerated().filter { $0.offset != i }.map(\.element).reduce(1, *)
            precondition(known > 0 && count % known == 0, "reshape: cannot reshape \(shape) to \(newShape)")
            s[i] = count / known
        }
        precondition(shapeCount(s) == count, "reshape: cannot reshape \(shape) (\(count) elements) to \(newShape)")
        let x = self
        let y = Tensor(shape: s, storage: storage)
        return Tensor.record("reshape", y, [x]) { g in
            x.node?.accumulate(Tensor(shape: x.shape, storage: g.storage))
        }
    }

    /// Inserts an axis of extent 1.
    public func unsqueezed(axis: Int) -> Tensor {
        var s = shape
        s.insert(1, at: axis < 0 ? axis + rank + 1 : axis)
        return reshaped(s)
    }

    /// Removes an axis of extent 1.
    public func squeezed(axis: Int) -> Tensor {
        let ax = axis < 0 ? axis + rank : axis
        precondition(shape[ax] == 1, "squeeze: axis \(axis) of shape \(shape) is not 1")
        var s = shape
        s.remove(at: ax)
        return reshaped(s)
    }

    /// Reorders the axes (a copy): `permuted([0, 2, 1])` swaps the last two of a rank-3 tensor.
    public func permuted(_ order: [Int]) -> Tensor {
        precondition(order.count == rank && Set(order) == Set(0..<rank), "permute: order \(order) invalid for shape \(shape)")
        if order == Array(0..<rank) { return self }
        let x = self
        let y = permuteCopy(order)
        var inverse = [Int](repeating: 0, count: rank)
        for (i, o) in order.enumerated() { inverse[o] = i }
        return Tensor.record("permute", y, [x]) { g in x.node?.accumulate(g.permuteCopy(inverse)) }
    }

    /// Swaps two axes (a copy).
    public func transposed(_ a: Int = -2, _ b: Int = -1) -> Tensor {
        var order = Array(0..<rank)
        order.swapAt(a < 0 ? a + rank : a, b < 0 ? b + rank : b)
        return permuted(order)
    }

    func permuteCopy(_ order: [Int]) -> Tensor {
        let outShape = order.map { shape[$0] }
        var inStrides = [Int](repeating: 1, count: rank)
        for i in stride(from: rank - 2, through: 0, by: -1) { inStrides[i] = inStrides[i + 1] * shape[i + 1] }
        let srcStrides = order.map { inStrides[$0] }
        let y = Tensor.uninitialized(outShape)
        let px = storage.data, py = y.storage.data
        let r = rank
        let n = outShape[r - 1], inner = srcStrides[r - 1]
        var idx = [Int](repeating: 0, count: r)
        var src = 0, dst = 0
        let rows = count / Swift.max(n, 1)
        for _ in 0..<rows {
            if inner == 1 { for j in 0..<n { py[dst + j] = px[src + j] } } else { for j in 0..<n { py[dst + j] = px[src + j * inner] } }
            dst += n
            var k = r - 2
            while k >= 0 {
                idx[k] += 1; src += srcStrides[k]
                if idx[k] < outShape[k] { break }
                src -= srcStrides[k] * outShape[k]; idx[k] = 0; k -= 1
            }
        }
        return y
    }

    /// Broadcasts to `target` (a copy); the backward sums over the expanded axes.
    public func expanded(to target: [Int]) -> Tensor {
        let x = self
        let plan = BroadcastPlan("expand", target, shape)
        precondition(plan.outShape == target, "expand: cannot expand \(shape) to \(target)")
        let y = Tensor.uninitialized(target)
        let px = storage.data, py = y.storage.data
        // A strided copy: no zero tensor to add to.
        plan.forEachRow { _, ob, oo, n, _, ib in
            if ib == 1 { (py + oo).update(from: px + ob, count: n) } else { for j in 0..<n { py[oo + j] = px[ob] } }
        }
        return Tensor.record("expand", y, [x]) { g in x.node?.accumulate(g.sumTo(x.shape)) }
    }

    /// Elements `range` along `axis` (a copy).
    public func slice(axis: Int, _ range: Range<Int>) -> Tensor {
        let x = self
        let (outer, n, inner, ax) = axisSplit(axis, "slice")
        precondition(range.lowerBound >= 0 && range.upperBound <= n, "slice: range \(range) out of bounds for axis \(axis) of shape \(shape)")
        var s = shape
        s[ax] = range.count
        let y = Tensor.uninitialized(s)
        let m = range.count * inner
        let px = storage.data, py = y.storage.data
        for o in 0..<outer { (py + o * m).update(from: px + (o * n + range.lowerBound) * inner, count: m) }
        return Tensor.record("slice", y, [x]) { g in
            let d = Tensor.zeros(x.shape)
            for o in 0..<outer { (d.storage.data + (o * n + range.lowerBound) * inner).update(from: g.storage.data + o * m, count: m) }
            x.node?.accumulate(d)
        }
    }

    /// Joins tensors along `axis`; all other extents must agree.
    public static func concat(_ parts: [Tensor], axis: Int) -> Tensor {
        precondition(!parts.isEmpty, "concat: no tensors")
        let first = parts[0]
        let ax = axis < 0 ? axis + first.rank : axis
        for p in parts {
            var a = p.shape, b = first.shape
            precondition(a.count == b.count, "concat: shapes \(first.shape) and \(p.shape) differ in rank")
            a[ax] = 0; b[ax] = 0
            precondition(a == b, "concat: shapes \(first.shape) and \(p.shape) differ off axis \(axis)")
        }
        let outer = shapeCount(Array(first.shape[..<ax])), inner = shapeCount(Array(first.shape[(ax + 1)...]))
        let total = parts.reduce(0) { $0 + $1.shape[ax] }
        var s = first.shape
        s[ax] = total
        let y = Tensor.uninitialized(s)
        var offset = 0
        var offsets: [Int] = []
        for p in parts {
            let m = p.shape[ax] * inner
            for o in 0..<outer { (y.storage.data + o * total * inner + offset * inner).update(from: p.storage.data + o * m, count: m) }
            offsets.append(offset)
            offset += p.shape[ax]
        }
        return record("concat", y, parts) { g in
            for (p, off) in zip(parts, offsets) where p.node != nil {
                let m = p.shape[ax] * inner
                let d = Tensor.uninitialized(p.shape)
                for o in 0..<outer { (d.storage.data + o * m).update(from: g.storage.data + o * total * inner + off * inner, count: m) }
                p.node!.accumulate(d)
            }
        }
    }

    /// Stacks equal-shaped tensors along a new axis.
    public static func stack(_ parts: [Tensor], axis: Int = 0) -> Tensor {
        concat(parts.map { $0.unsqueezed(axis: axis) }, axis: axis)
    }

    /// Selects entries `indices` along `axis` (repeats allowed); the backward scatter-adds.
    public func indexSelect(axis: Int, _ indices: [Int]) -> Tensor {
        let x = self
        let (outer, n, inner, ax) = axisSplit(axis, "indexSelect")
        for i in indices { precondition(i >= 0 && i < n, "indexSelect: index \(i) out of range for axis \(axis) of shape \(shape)") }
        var s = shape
        s[ax] = indices.count
        let y = Tensor.uninitialized(s)
        let k = indices.count
        for o in 0..<outer {
            for (j, i) in indices.enumerated() {
                (y.storage.data + (o * k + j) * inner).update(from: storage.data + (o * n + i) * inner, count: inner)
            }
        }
        return Tensor.record("indexSelect", y, [x]) { g in
            let d = Tensor.zeros(x.shape)
            let pd = d.storage.data, pg = g.storage.data
            for o in 0..<outer {
                for (j, i) in indices.enumerated() {
                    let dst = pd + (o * n + i) * inner, src = pg + (o * k + j) * inner
                    for t in 0..<inner { dst[t] += src[t] }
                }
            }
            x.node?.accumulate(d)
        }
    }
}
