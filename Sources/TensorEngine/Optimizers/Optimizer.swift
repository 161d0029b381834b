/// Updates parameters from their accumulated gradients.
public protocol Optimizer: AnyObject {
    /// The parameters this optimiser owns.
    var parameters: [Parameter] { get }
    /// The learning rate for the next step (set by a schedule).
    var learningRate: Float { get set }
    /// Applies one update and leaves gradients in place (call `zeroGrad()` next).
    func step()
}

extension Optimizer {
    /// Clears every parameter's gradient.
    public func zeroGrad() { for p in parameters { p.zeroGrad() } }
}

/// Scales all gradients so their global L2 norm is at most `maxNorm`; returns the norm before clipping.
@discardableResult
public func clipGradientNorm(_ parameters: [Parameter], maxNorm: Float) -> Float {
    var total: Double = 0
    for p in parameters {
        guard let g = p.grad else { continue }
        g.withUnsafeBufferPointer { b in for v in b { total += Double(v) * Double(v) } }
    }
    let norm = Float(total.squareRoot())
    if norm > maxNorm && norm.isFinite {
        let s = maxNorm / (norm + 1e-6)
        for p in parameters {
            guard let node = p.value.node, var g = node.grad else { continue }
            node.grad = nil
            g.withUnsafeMutableBufferPointer { b in for i in b.indices { b[i] *= s } }
            node.grad = g
        }
    }
    return norm
}
