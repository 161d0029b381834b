import TensorEngine

/// What an aggregator returns: the pooled vectors plus optional extras.
public struct Pooled {
    /// `[B, D′]`
    public var output: Tensor
    /// Terms added to the training loss (ECA's γ regulariser), already weighted.
    public var auxiliaryLoss: Tensor?
    /// Attention logits before normalisation, `[B, N, H]` (for gradient diagnostics), if any.
    public var logits: Tensor?
    /// Per-element weights `[B, N, H]` (heads averaged in diagnostics), if any.
    public var weights: Tensor?
    /// Named per-sample diagnostics (`[B]` each): e.g. "tau", "gamma".
    public var perSample: [(name: String, value: Tensor)]

    public init(output: Tensor, auxiliaryLoss: Tensor? = nil, logits: Tensor? = nil, weights: Tensor? = nil,
                perSample: [(name: String, value: Tensor)] = []) {
        self.output = output
        self.auxiliaryLoss = auxiliaryLoss
        self.logits = logits
        self.weights = weights
        self.perSample = perSample
    }
}

/// Pools a padded batch of sets into one vector per set.
///
/// Forward code only: gradients come from the engine. Implementations must be
/// mask-aware — padded elements may not change the output or the gradients.
public protocol Aggregator {
    /// Trainable parameters, named `aggregator.…`.
    var parameters: [Parameter] { get }
    /// The width `D′` of the pooled vector.
    var outputWidth: Int { get }
    /// - Parameters:
    ///   - sets: `[B, N, D]` element embeddings, padded to a common `N`.
    ///   - mask: `[B, N]`, 1 for real elements and 0 for padding.
    func callAsFunction(_ sets: Tensor, mask: Tensor) -> Pooled
}

/// What a factory needs besides its config: the input width and the seeded RNG.
public struct BuildContext {
    /// Width of the incoming vectors (`D`).
    public let inputWidth: Int
    public let rng: RandomGenerator
    /// Parameter name prefix, e.g. "aggregator".
    public let name: String

    public init(inputWidth: Int, rng: RandomGenerator, name: String) {
        self.inputWidth = inputWidth
        self.rng = rng
        self.name = name
    }
}
