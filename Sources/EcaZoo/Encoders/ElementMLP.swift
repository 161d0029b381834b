import TensorEngine

/// The same small MLP applied to every element independently (a DeepSets φ).
public struct ElementMLP: Encoder {
    public enum Activation: String, CaseIterable { case relu, gelu, tanh }

    let layers: [Linear]
    public let activation: Activation
    /// Whether the last layer is followed by the activation too.
    public let activateLast: Bool
    public var outputWidth: Int { layers.last.map { $0.weight.value.shape[1] } ?? inputWidth }
    let inputWidth: Int

    /// - Parameter widths: hidden and output widths, e.g. `[32, 32]`; empty = identity.
    public init(inputWidth: Int, widths: [Int], activation: Activation, activateLast: Bool, name: String, rng: RandomGenerator) {
        self.inputWidth = inputWidth
        self.activation = activation
        self.activateLast = activateLast
        var layers: [Linear] = []
        var w = inputWidth
        for (i, out) in widths.enumerated() {
            layers.append(Linear("\(name).fc\(i + 1)", inputs: w, outputs: out, rng: rng))
            w = out
        }
        self.layers = layers
    }

    public var parameters: [Parameter] { layers.flatMap(\.parameters) }

    public func callAsFunction(_ elements: Tensor, mask: Tensor, training: Bool) -> Tensor {
        var h = elements
        for (i, layer) in layers.enumerated() {
            h = layer(h)
            if i < layers.count - 1 || activateLast {
                switch activation {
                case .relu: h = h.relu()
                case .gelu: h = h.gelu()
                case .tanh: h = h.tanh()
                }
            }
        }
        return h
    }
}
