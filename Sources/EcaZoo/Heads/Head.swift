import TensorEngine

/// Maps a pooled vector to the scalar prediction: `[B, D] → [B]`.
public protocol Head {
    var parameters: [Parameter] { get }
    func callAsFunction(_ pooled: Tensor) -> Tensor
}

/// `ŷ = wᵀv + b`, the head the paper's analysis assumes.
public struct LinearHead: Head {
    public let layer: Linear
    public init(inputWidth: Int, name: String, rng: RandomGenerator) {
        layer = Linear(name + ".fc", inputs: inputWidth, outputs: 1, rng: rng)
    }
    public var parameters: [Parameter] { layer.parameters }
    public func callAsFunction(_ pooled: Tensor) -> Tensor { layer(pooled).reshaped([-1]) }
}

/// A small MLP head: `ŷ = w₂ᵀ relu(W₁v + b₁) + b₂`.
public struct MLPHead: Head {
    public let hidden: Linear, output: Linear
    public init(inputWidth: Int, hiddenWidth: Int, name: String, rng: RandomGenerator) {
        hidden = Linear(name + ".fc1", inputs: inputWidth, outputs: hiddenWidth, rng: rng)
        output = Linear(name + ".fc2", inputs: hiddenWidth, outputs: 1, rng: rng)
    }
    public var parameters: [Parameter] { hidden.parameters + output.parameters }
    public func callAsFunction(_ pooled: Tensor) -> Tensor { output(hidden(pooled).relu()).reshaped([-1]) }
}
