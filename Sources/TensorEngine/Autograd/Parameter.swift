/// A named, trainable tensor: the unit that optimisers update and checkpoints store.
///
/// Names are dotted paths given at construction (`encoder.fc1.weight`), so
/// parameters are enumerable by name without reflection.
public final class Parameter {
    /// The dotted name, unique within a model.
    public let name: String
    /// The current value; a leaf of every graph it takes part in.
    public var value: Tensor

    public init(name: String, value: Tensor) {
        self.name = name
        self.value = value.detached().requiringGrad()
    }

    /// The gradient accumulated by `backward()` since the last `zeroGrad()`.
    public var grad: Tensor? { value.node?.grad }

    /// Forgets the accumulated gradient.
    public func zeroGrad() { value.node?.zeroGrad() }

    /// Replaces the values (loading a checkpoint); the shape must match.
    public func assign(_ values: [Float]) {
        precondition(values.count == value.count, "Parameter \(name): \(values.count) values for shape \(value.shape)")
        value.withUnsafeMutableBufferPointer { dst in
            for i in 0..<values.count { dst[i] = values[i] }
        }
    }
}
