import Foundation

/// Adam (Kingma & Ba) with bias correction. `decoupledWeightDecay` turns it into
/// AdamW (Loshchilov & Hutter): decay is applied to the weights directly instead
/// of being added to the gradient.
public final class Adam: Optimizer {
    public let parameters: [Parameter]
    public var learningRate: Float
    public let beta1: Float, beta2: Float, epsilon: Float, weightDecay: Float
    public let decoupledWeightDecay: Bool
    var m: [[Float]], v: [[Float]]
    public private(set) var stepCount = 0

    public init(parameters: [Parameter], learningRate: Float, beta1: Float = 0.9, beta2: Float = 0.999,
                epsilon: Float = 1e-8, weightDecay: Float = 0, decoupledWeightDecay: Bool = false) {
        self.parameters = parameters
        self.learningRate = learningRate
        self.beta1 = beta1; self.beta2 = beta2; self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.decoupledWeightDecay = decoupledWeightDecay
        m = parameters.map { [Float](repeating: 0, count: $0.value.count) }
        v = m
    }

    /// AdamW with the conventional default decay 0.01.
    public static func adamW(parameters: [Parameter], learningRate: Float, weightDecay: Float = 0.01) -> Adam {
        Adam(parameters: parameters, learningRate: learningRate, weightDecay: weightDecay, decoupledWeightDecay: true)
    }

    public func step() {
        stepCount += 1
        let b1 = beta1, b2 = beta2, eps = epsilon, lr = learningRate, wd = weightDecay, decoupled = decoupledWeightDecay
        let c1 = 1 - Float(Foundation.pow(Double(b1), Double(stepCount)))
        let c2 = 1 - Float(Foundation.pow(Double(b2), Double(stepCount)))
        for (k, p) in parameters.enumerated() {
            guard let g = p.grad else { continue }
            g.withUnsafeBufferPointer { gb in
                m[k].withUnsafeMutableBufferPointer { mb in
                    v[k].withUnsafeMutableBufferPointer { vb in
                        p.value.withUnsafeMutableBufferPointer { w in
                            for i in 0..<w.count {
                                var gi = gb[i]
                                if decoupled { w[i] -= lr * wd * w[i] } else { gi += wd * w[i] }
                                mb[i] = b1 * mb[i] + (1 - b1) * gi
                                vb[i] = b2 * vb[i] + (1 - b2) * gi * gi
                                let mh = mb[i] / c1, vh = vb[i] / c2
                                w[i] -= lr * mh / (vh.squareRoot() + eps)
                            }
                        }
                    }
                }
            }
        }
    }
}
