import Foundation

// Broadcasting arithmetic. Each forward sits beside its backward; gradients of
// broadcast operands are summed back to their own shapes.

extension Tensor {
    public static func + (a: Tensor, b: Tensor) -> Tensor {
        let y = binaryKernel(AddKernel.self, "add", a, b)
        return record("add", y, [a, b]) { g in
            a.node?.accumulate(g.sumTo(a.shape))
            b.node?.accumulate(g.sumTo(b.shape))
        }
    }

    public static func - (a: Tensor, b: Tensor) -> Tensor {
        let y = binaryKernel(SubKernel.self, "sub", a, b)
        return record("sub", y, [a, b]) { g in
            a.node?.accumulate(g.sumTo(a.shape))
            b.node?.accumulate(unaryKernel(NegKernel.self, g).sumTo(b.shape))
        }
    }

    public static func * (a: Tensor, b: Tensor) -> Tensor {
        let y = binaryKernel(MulKernel.self, "mul", a, b)
        return record("mul", y, [a, b]) { g in
            if let n = a.node { n.accumulate(binaryKernel(MulKernel.self, "mul", g, b).sumTo(a.shape)) }
            if let n = b.node { n.accumulate(binaryKernel(MulKernel.self, "mul", g, a).sumTo(b.shape)) }
        }
    }

    public static func / (a: Tensor, b: Tensor) -> Tensor {
        let y = binaryKernel(DivKernel.self, "div", a, b)
        return record("div", y, [a, b]) { g in
            let gb = binaryKernel(DivKernel.self, "div", g, b)
            if let n = a.node { n.accumulate(gb.sumTo(a.shape)) }
            if let n = b.node {
                // d(a/b)/db = -y/b
                n.accumulate(unaryKernel(NegKernel.self, binaryKernel(MulKernel.self, "div", gb, y)).sumTo(b.shape))
            }
        }
    }

    public static prefix func - (a: Tensor) -> Tensor { a.unary(NegKernel.self) }

    public static func + (a: Tensor, b: Float) -> Tensor { a + Tensor(scalar: b) }
    public static func - (a: Tensor, b: Float) -> Tensor { a - Tensor(scalar: b) }
    public static func * (a: Tensor, b: Float) -> Tensor { a.scaled(by: b) }
    public static func / (a: Tensor, b: Float) -> Tensor { a.scaled(by: 1 / b) }
    public static func + (a: Float, b: Tensor) -> Tensor { Tensor(scalar: a) + b }
    public static func - (a: Float, b: Tensor) -> Tensor { Tensor(scalar: a) - b }
    public static func * (a: Float, b: Tensor) -> Tensor { b.scaled(by: a) }
    public static func / (a: Float, b: Tensor) -> Tensor { Tensor(scalar: a) / b }

    /// Multiplication by a constant (cheaper than a broadcast multiply).
    public func scaled(by s: Float) -> Tensor {
        let y = Tensor.uninitialized(shape)
        let px = storage.data, py = y.storage.data
        for i in 0..<count { py[i] = px[i] * s }
        return Tensor.record("scale", y, [self]) { [node] g in node?.accumulate(g.scaled(by: s)) }
    }

    /// Elementwise power with broadcasting.
    public func pow(_ e: Tensor) -> Tensor {
        let a = self
        let y = binaryKernel(PowKernel.self, "pow", a, e)
        return Tensor.record("pow", y, [a, e]) { g in
            if let n = a.node {
                // e · a^(e-1) = e · y / a, written without dividing by a zero base.
                // Kernels only: the backward must not record ops into a graph of its own.
                let d = binaryKernel(MulKernel.self, "pow", e, binaryKernel(PowKernel.self, "pow", a, binaryKernel(SubKernel.self, "pow", e, Tensor(scalar: 1))))
                n.accumulate(binaryKernel(MulKernel.self, "pow", g, d).sumTo(a.shape))
            }
            if let n = e.node {
                let d = binaryKernel(MulKernel.self, "pow", y, a.unaryValue(LogKernel.self))
                n.accumulate(binaryKernel(MulKernel.self, "pow", g, d).sumTo(e.shape))
            }
        }
    }

    /// Raises every element to a constant power.
    public func pow(_ e: Float) -> Tensor {
        if e == 2 { return self * self }
        let x = self
        let y = Tensor.uninitialized(shape)
        let px = storage.data, py = y.storage.data
        for i in 0..<count { py[i] = Foundation.pow(px[i], e) }
        return Tensor.record("pow", y, [x]) { g in
            let d = Tensor.uninitialized(x.shape)
            let pd = d.storage.data, pg = g.storage.data
            for i in 0..<x.count { pd[i] = pg[i] * e * Foundation.pow(px[i], e - 1) }
            x.node?.accumulate(d)
        }
    }

    /// Elementwise maximum; ties send the gradient to `self`.
    public func maximum(_ b: Tensor) -> Tensor { selectBinary(MaxKernel.self, GreaterEqualKernel.self, "maximum", b) }
    /// Elementwise minimum; ties send the gradient to `self`.
    public func minimum(_ b: Tensor) -> Tensor { selectBinary(MinKernel.self, LessEqualKernel.self, "minimum", b) }

    func selectBinary<K: BinaryKernel, S: BinaryKernel>(_ k: K.Type, _ s: S.Type, _ op: String, _ b: Tensor) -> Tensor {
        let a = self
        let y = binaryKernel(K.self, op, a, b)
        return Tensor.record(op, y, [a, b]) { g in
            let pick = binaryKernel(S.self, op, a, b)
            if let n = a.node { n.accumulate(binaryKernel(MulKernel.self, op, g, pick).sumTo(a.shape)) }
            if let n = b.node {
                let other = binaryKernel(SubKernel.self, op, Tensor(scalar: 1), pick)
                n.accumulate(binaryKernel(MulKernel.self, op, g, other).sumTo(b.shape))
            }
        }
    }

    /// Clamps into `[lower, upper]`; the gradient is zero where clamped.
    public func clamped(min lower: Float = -.infinity, max upper: Float = .infinity) -> Tensor {
        let x = self
        let y = Tensor.uninitialized(shape)
        let px = storage.data, py = y.storage.data
        for i in 0..<count { py[i] = Swift.min(Swift.max(px[i], lower), upper) }
        return Tensor.record("clamp", y, [x]) { g in
            let d = Tensor.uninitialized(x.shape)
            let pd = d.storage.data, pg = g.storage.data
            for i in 0..<x.count { pd[i] = (px[i] >= lower && px[i] <= upper) ? pg[i] : 0 }
            x.node?.accumulate(d)
        }
    }

    /// In-place accumulation for gradient buffers (no autograd).
    @usableFromInline
    mutating func addInPlace(_ other: Tensor) {
        precondition(shape == other.shape, "addInPlace: shapes \(shape) and \(other.shape) differ")
        makeUnique()
        let p = storage.data, q = other.storage.data
        for i in 0..<count { p[i] += q[i] }
    }
}
