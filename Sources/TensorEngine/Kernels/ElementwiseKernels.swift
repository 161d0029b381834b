import Foundation

/// A pointwise binary function, specialised at compile time (no closure per element).
@usableFromInline protocol BinaryKernel {
    static func apply(_ a: Float, _ b: Float) -> Float
}

/// A pointwise unary function with its derivative in terms of input `x` and output `y`.
@usableFromInline protocol UnaryKernel {
    static var name: String { get }
    static func apply(_ x: Float) -> Float
    static func derivative(_ x: Float, _ y: Float) -> Float
}

@usableFromInline enum AddKernel: BinaryKernel { @inlinable static func apply(_ a: Float, _ b: Float) -> Float { a + b } }
@usableFromInline enum SubKernel: BinaryKernel { @inlinable static func apply(_ a: Float, _ b: Float) -> Float { a - b } }
@usableFromInline enum MulKernel: BinaryKernel { @inlinable static func apply(_ a: Float, _ b: Float) -> Float { a * b } }
@usableFromInline enum DivKernel: BinaryKernel { @inlinable static func apply(_ a: Float, _ b: Float) -> Float { a / b } }
@usableFromInline enum MaxKernel: BinaryKernel { @inlinable static func apply(_ a: Float, _ b: Float) -> Float { a >= b ? a : b } }
@usableFromInline enum MinKernel: BinaryKernel { @inlinable static func apply(_ a: Float, _ b: Float) -> Float { a <= b ? a : b } }
@usableFromInline enum PowKernel: BinaryKernel { @inlinable static func apply(_ a: Float, _ b: Float) -> Float { Foundation.pow(a, b) } }
/// 1 where a is selected by max (ties go to a), else 0: routes max/min gradients.
@usableFromInline enum GreaterEqualKernel: BinaryKernel { @inlinable static func apply(_ a: Float, _ b: Float) -> Float { a >= b ? 1 : 0 } }
@usableFromInline enum LessEqualKernel: BinaryKernel { @inlinable static func apply(_ a: Float, _ b: Float) -> Float { a <= b ? 1 : 0 } }

@usableFromInline
func binaryKernel<K: BinaryKernel>(_ k: K.Type, _ op: String, _ a: Tensor, _ b: Tensor) -> Tensor {
    let pa = a.storage.data, pb = b.storage.data
    if a.shape == b.shape {
        let out = Tensor.uninitialized(a.shape)
        let po = out.storage.data
        for i in 0..<a.count { po[i] = K.apply(pa[i], pb[i]) }
        return out
    }
    let plan = BroadcastPlan(op, a.shape, b.shape)
    let out = Tensor.uninitialized(plan.outShape)
    let po = out.storage.data
    plan.forEachRow { oa, ob, oo, n, ia, ib in
        if ia == 1 && ib == 1 {
            for j in 0..<n { po[oo + j] = K.apply(pa[oa + j], pb[ob + j]) }
        } else if ia == 1 {
            let bv = pb[ob]
            for j in 0..<n { po[oo + j] = K.apply(pa[oa + j], bv) }
        } else if ib == 1 {
            let av = pa[oa]
            for j in 0..<n { po[oo + j] = K.apply(av, pb[ob + j]) }
        } else {
            let r = K.apply(pa[oa], pb[ob])
            for j in 0..<n { po[oo + j] = r }
        }
    }
    return out
}

@usableFromInline
func unaryKernel<K: UnaryKernel>(_ k: K.Type, _ x: Tensor) -> Tensor {
    let out = Tensor.uninitialized(x.shape)
    let px = x.storage.data, po = out.storage.data
    for i in 0..<x.count { po[i] = K.apply(px[i]) }
    return out
}

@usableFromInline
func unaryBackward<K: UnaryKernel>(_ k: K.Type, _ x: Tensor, _ y: Tensor, _ g: Tensor) -> Tensor {
    let out = Tensor.uninitialized(x.shape)
    let px = x.storage.data, py = y.storage.data, pg = g.storage.data, po = out.storage.data
    for i in 0..<x.count { po[i] = pg[i] * K.derivative(px[i], py[i]) }
    return out
}

@usableFromInline enum NegKernel: UnaryKernel {
    @usableFromInline static let name = "neg"
    @inlinable static func apply(_ x: Float) -> Float { -x }
    @inlinable static func derivative(_ x: Float, _ y: Float) -> Float { -1 }
}
@usableFromInline enum ExpKernel: UnaryKernel {
    @usableFromInline static let name = "exp"
    @inlinable static func apply(_ x: Float) -> Float { Foundation.exp(x) }
    @inlinable static func derivative(_ x: Float, _ y: Float) -> Float { y }
}
@usableFromInline enum LogKernel: UnaryKernel {
    @usableFromInline static let name = "log"
    @inlinable static func apply(_ x: Float) -> Float { Foundation.log(x) }
    @inlinable static func derivative(_ x: Float, _ y: Float) -> Float { 1 / x }
}
@usableFromInline enum SqrtKernel: UnaryKernel {
    @usableFromInline static let name = "sqrt"
    @inlinable static func apply(_ x: Float) -> Float { x.squareRoot() }
    @inlinable static func derivative(_ x: Float, _ y: Float) -> Float { 0.5 / y }
}
@usableFromInline enum AbsKernel: UnaryKernel {
    @usableFromInline static let name = "abs"
    @inlinable static func apply(_ x: Float) -> Float { Swift.abs(x) }
    @inlinable static func derivative(_ x: Float, _ y: Float) -> Float { x > 0 ? 1 : (x < 0 ? -1 : 0) }
}
@usableFromInline enum ReluKernel: UnaryKernel {
    @usableFromInline static let name = "relu"
    @inlinable static func apply(_ x: Float) -> Float { x > 0 ? x : 0 }
    @inlinable static func derivative(_ x: Float, _ y: Float) -> Float { x > 0 ? 1 : 0 }
}
/// GELU, tanh approximation (as in GPT-2 and most FT-Transformer code).
/// `0.5·(1 + tanh(u)) = σ(2u)`, so it is computed with one `exp` rather than
/// libm's `tanhf`, which costs several times more and dominated transformer steps.
@usableFromInline enum GeluKernel: UnaryKernel {
    @usableFromInline static let name = "gelu"
    @usableFromInline static let c: Float = 0.7978845608  // sqrt(2/pi)
    @inlinable static func apply(_ x: Float) -> Float {
        let u = c * (x + 0.044715 * x * x * x)
        return x / (1 + Foundation.exp(-2 * u))
    }
    @inlinable static func derivative(_ x: Float, _ y: Float) -> Float {
        let u = c * (x + 0.044715 * x * x * x)
        let s = 1 / (1 + Foundation.exp(-2 * u))     // σ(2u) = 0.5·(1 + tanh u)
        // d/dx [x·σ(2u)] = σ(2u) + x·2σ(1−σ)·u′
        return s + x * 2 * s * (1 - s) * c * (1 + 3 * 0.044715 * x * x)
    }
}
/// ELU with alpha 1 (the `elu + 1` feature map of linear attention uses it).
@usableFromInline enum EluKernel: UnaryKernel {
    @usableFromInline static let name = "elu"
    @inlinable static func apply(_ x: Float) -> Float { x > 0 ? x : Foundation.expm1(x) }
    @inlinable static func derivative(_ x: Float, _ y: Float) -> Float { x > 0 ? 1 : y + 1 }
}
/// tanh through `exp`: `tanh x = 1 − 2/(e^{2x} + 1)`, saturating correctly
/// (e^{2x} = ∞ gives 1, 0 gives −1) and much cheaper than libm's `tanhf`. Near 0
/// that form cancels, so small |x| uses the series x − x³/3 + 2x⁵/15 instead.
@usableFromInline enum TanhKernel: UnaryKernel {
    @usableFromInline static let name = "tanh"
    @inlinable static func apply(_ x: Float) -> Float {
        if Swift.abs(x) < 0.0625 {
            let x2 = x * x
            return x * (1 - x2 * (1.0 / 3 - x2 * (2.0 / 15)))
        }
        return 1 - 2 / (Foundation.exp(2 * x) + 1)
    }
    @inlinable static func derivative(_ x: Float, _ y: Float) -> Float { 1 - y * y }
}
@usableFromInline enum SigmoidKernel: UnaryKernel {
    @usableFromInline static let name = "sigmoid"
    @inlinable static func apply(_ x: Float) -> Float { 1 / (1 + Foundation.exp(-x)) }
    @inlinable static func derivative(_ x: Float, _ y: Float) -> Float { y * (1 - y) }
}
/// softplus(x) = log(1 + e^x), computed without overflow.
@usableFromInline enum SoftplusKernel: UnaryKernel {
    @usableFromInline static let name = "softplus"
    @inlinable static func apply(_ x: Float) -> Float { Swift.max(x, 0) + Foundation.log1p(Foundation.exp(-Swift.abs(x))) }
    @inlinable static func derivative(_ x: Float, _ y: Float) -> Float { 1 / (1 + Foundation.exp(-x)) }
}
