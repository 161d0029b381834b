import TensorEngine

/// Encoder → aggregator → head: one scalar prediction per set.
public struct SetRegressor {
    public let encoder: any Encoder
    public let aggregator: any Aggregator
    public let head: any Head

    public init(encoder: any Encoder, aggregator: any Aggregator, head: any Head) {
        self.encoder = encoder
        self.aggregator = aggregator
        self.head = head
    }

    /// Every trainable parameter, in a stable order, with unique dotted names.
    public var parameters: [Parameter] { encoder.parameters + aggregator.parameters + head.parameters }

    /// The intermediate values of one forward pass.
    public struct Forward {
        /// `[B, N, D]`
        public var embeddings: Tensor
        /// `[B, N′]`, the mask of `embeddings` (with any token the encoder added).
        public var mask: Tensor
        public var pooled: Pooled
        /// `[B]`
        public var prediction: Tensor
    }

    /// - Parameters:
    ///   - elements: `[B, N, F]`; `mask`: `[B, N]`.
    public func forward(_ elements: Tensor, mask: Tensor, training: Bool) -> Forward {
        let h = encoder(elements, mask: mask, training: training)
        let m = encoder.outputMask(mask)
        let pooled = aggregator(h, mask: m)
        return Forward(embeddings: h, mask: m, pooled: pooled, prediction: head(pooled.output))
    }
}
