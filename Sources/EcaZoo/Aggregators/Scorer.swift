import TensorEngine

/// Attention logits for every element: `[B, N, D] → [B, N, H]`.
///
/// - `linear`: `z = Wh + b`
/// - `tanh`: `z = wᵀ tanh(Vh)`, the attention-based MIL scorer (Ilse et al., 2018)
/// - `gated`: `z = wᵀ (tanh(Vh) ⊙ σ(Uh))`, its gated variant
public struct Scorer {
    public enum Kind: String, CaseIterable { case linear, tanh, gated }

    public let kind: Kind
    public let heads: Int
    let hidden: Linear?   // V: [D, L]
    let gate: Linear?     // U: [D, L]
    let output: Linear    // w: [L or D, H]

    public init(kind: Kind, inputWidth: Int, hiddenWidth: Int, heads: Int, name: String, rng: RandomGenerator) {
        self.kind = kind
        self.heads = heads
        switch kind {
        case .linear:
            hidden = nil; gate = nil
            output = Linear(name + ".score", inputs: inputWidth, outputs: heads, rng: rng)
        case .tanh, .gated:
            hidden = Linear(name + ".V", inputs: inputWidth, outputs: hiddenWidth, rng: rng)
            gate = kind == .gated ? Linear(name + ".U", inputs: inputWidth, outputs: hiddenWidth, rng: rng) : nil
            output = Linear(name + ".w", inputs: hiddenWidth, outputs: heads, rng: rng)
        }
    }

    public var parameters: [Parameter] {
        (hidden?.parameters ?? []) + (gate?.parameters ?? []) + output.parameters
    }

    /// `sets [B, N, D]` → logits `[B, N, H]`.
    public func callAsFunction(_ sets: Tensor) -> Tensor {
        switch kind {
        case .linear: return output(sets)
        case .tanh: return output(hidden!(sets).tanh())
        case .gated: return output(hidden!(sets).tanh() * gate!(sets).sigmoid())
        }
    }

    /// The parameters every attention aggregator documents for its scorer.
    static func specs(defaultKind: Kind) -> [ParameterSpec] {
        [
            ParameterSpec("scorer", "string", default: "\"\(defaultKind.rawValue)\"", allowed: Kind.allCases.map(\.rawValue).joined(separator: " | "), "how element logits are computed"),
            ParameterSpec("hidden", "integer", default: "16", allowed: "≥ 1", "hidden width of the tanh/gated scorer"),
            ParameterSpec("heads", "integer", default: "1", allowed: "≥ 1", "attention heads (pooled vectors are averaged over heads)"),
        ]
    }

    /// Reads `scorer`, `hidden`, `heads` from an aggregator's config.
    static func read(_ r: ConfigReader, defaultKind: Kind, context: BuildContext) throws -> Scorer {
        let kind = Kind(rawValue: try r.string("scorer", default: defaultKind.rawValue, oneOf: Kind.allCases.map(\.rawValue)))!
        let hidden = try r.int("hidden", default: 16, where: .atLeast(1))
        let heads = try r.int("heads", default: 1, where: .atLeast(1))
        return Scorer(kind: kind, inputWidth: context.inputWidth, hiddenWidth: hidden, heads: heads,
                      name: context.name + ".scorer", rng: context.rng)
    }
}
