/// Stochastic gradient descent with optional (heavy-ball) momentum and L2 weight decay.
public final class SGD: Optimizer {
    public let parameters: [Parameter]
    public var learningRate: Float
    public let momentum: Float
    public let weightDecay: Float
    var velocity: [[Float]]

    public init(parameters: [Parameter], learningRate: Float, momentum: Float = 0, weightDecay: Float = 0) {
        self.parameters = parameters
        self.learningRate = learningRate
        self.momentum = momentum
        self.weightDecay = weightDecay
        velocity = parameters.map { [Float](repeating: 0, count: $0.value.count) }
    }

    public func step() {
        for (k, p) in parameters.enumerated() {
            guard let g = p.grad else { continue }
            let lr = learningRate, mu = momentum, wd = weightDecay
            g.withUnsafeBufferPointer { gb in
                velocity[k].withUnsafeMutableBufferPointer { v in
                    p.value.withUnsafeMutableBufferPointer { w in
                        for i in 0..<w.count {
                            let d = gb[i] + wd * w[i]
                            v[i] = mu * v[i] + d
                            w[i] -= lr * (mu == 0 ? d : v[i])
                        }
                    }
                }
            }
        }
    }
}
