/// A fully connected layer `y = x·W + b` over the last axis; `W` is `[in, out]`.
public struct Linear {
    public let weight: Parameter  // [in, out]
    public let bias: Parameter?   // [out]

    /// Xavier-uniform weights, zero bias; parameter names `<name>.weight`, `<name>.bias`.
    public init(_ name: String, inputs: Int, outputs: Int, bias: Bool = true, rng: RandomGenerator) {
        weight = Parameter(name: name + ".weight",
                           value: .xavierUniform([inputs, outputs], fanIn: inputs, fanOut: outputs, rng: rng))
        self.bias = bias ? Parameter(name: name + ".bias", value: .zeros([outputs])) : nil
    }

    public var parameters: [Parameter] { bias.map { [weight, $0] } ?? [weight] }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        let y = x.matmul(weight.value)
        return bias.map { y + $0.value } ?? y
    }
}

/// Layer normalisation over the last axis with learned scale and shift.
public struct LayerNorm {
    public let gamma: Parameter, beta: Parameter

    public init(_ name: String, width: Int) {
        gamma = Parameter(name: name + ".gamma", value: .ones([width]))
        beta = Parameter(name: name + ".beta", value: .zeros([width]))
    }

    public var parameters: [Parameter] { [gamma, beta] }

    public func callAsFunction(_ x: Tensor) -> Tensor { x.layerNorm(gamma: gamma.value, beta: beta.value) }
}
