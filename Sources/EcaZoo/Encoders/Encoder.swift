import TensorEngine

/// Maps every element of a padded batch to an embedding: `[B, N, F] → [B, N, D]`.
public protocol Encoder {
    var parameters: [Parameter] { get }
    /// `D`
    var outputWidth: Int { get }
    /// - Parameters:
    ///   - elements: `[B, N, F]` raw element features.
    ///   - mask: `[B, N]`, 1 for real elements (encoders that mix elements must respect it).
    ///   - training: whether dropout and similar are active.
    func callAsFunction(_ elements: Tensor, mask: Tensor, training: Bool) -> Tensor
    /// The mask of the encoder's output (encoders that add tokens extend it).
    func outputMask(_ mask: Tensor) -> Tensor
}

extension Encoder {
    /// Element-wise encoders keep the input mask.
    public func outputMask(_ mask: Tensor) -> Tensor { mask }
}
