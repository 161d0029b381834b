/// An n-dimensional, row-major, contiguous Float32 array with value semantics.
///
/// Storage is shared copy-on-write. A tensor that takes part in a computation
/// with a ``Parameter`` (or with `requiresGrad`) carries an autograd node, so
/// `backward()` on a scalar result fills the gradients of every parameter it
/// depends on. Ops are written as forward code; each records its own backward.
///
/// Dimension letters used in shape comments across the project:
/// B batch, N set size, D width, H heads.
public struct Tensor {
    /// The extent of each axis; `[]` for a scalar.
    public private(set) var shape: [Int]
    @usableFromInline var storage: TensorStorage
    /// The autograd node that produced this value, if gradients flow through it.
    @usableFromInline var node: Node?

    /// The number of elements (the product of `shape`).
    @inlinable public var count: Int { storage.count }
    /// The number of axes.
    @inlinable public var rank: Int { shape.count }

    @usableFromInline
    init(shape: [Int], storage: TensorStorage, node: Node? = nil) {
        self.shape = shape
        self.storage = storage
        self.node = node
    }

    /// A tensor of the given shape filled with `value`.
    public init(repeating value: Float, shape: [Int]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "Tensor(repeating:shape:): negative extent in \(shape)")
        self.init(shape: shape, storage: TensorStorage(count: shape.reduce(1, *), repeating: value))
    }

    /// A tensor of zeros.
    public static func zeros(_ shape: [Int]) -> Tensor { Tensor(repeating: 0, shape: shape) }
    /// A tensor of ones.
    public static func ones(_ shape: [Int]) -> Tensor { Tensor(repeating: 1, shape: shape) }

    /// A tensor from row-major values; `values.count` must equal the product of `shape`.
    public init(_ values: [Float], shape: [Int]) {
        let n = shape.reduce(1, *)
        precondition(values.count == n, "Tensor(_:shape:): \(values.count) values for shape \(shape) (\(n) elements)")
        let s = TensorStorage(count: n)
        values.withUnsafeBufferPointer { s.data.update(from: $0.baseAddress!, count: n) }
        self.init(shape: shape, storage: s)
    }

    /// A rank-0 tensor.
    public init(scalar: Float) {
        self.init(repeating: scalar, shape: [])
    }

    /// An uninitialised tensor for kernels that overwrite every element.
    @usableFromInline
    static func uninitialized(_ shape: [Int]) -> Tensor {
        Tensor(shape: shape, storage: TensorStorage(count: shape.reduce(1, *)))
    }

    /// The values in row-major order.
    public var scalars: [Float] {
        Array(UnsafeBufferPointer(start: storage.data, count: count))
    }

    /// The single value of a one-element tensor.
    public var item: Float {
        precondition(count == 1, "item: tensor of shape \(shape) has \(count) elements, not 1")
        return storage.data[0]
    }

    /// Element access by full multi-index (for tests and small tools, not for kernels).
    public subscript(_ index: Int...) -> Float {
        get { storage.data[flatIndex(index)] }
        set {
            makeUnique()
            storage.data[flatIndex(index)] = newValue
        }
    }

    func flatIndex(_ index: [Int]) -> Int {
        precondition(index.count == rank, "subscript: \(index.count) indices for shape \(shape)")
        var flat = 0
        for (i, extent) in zip(index, shape) {
            precondition(i >= 0 && i < extent, "subscript: index \(index) out of range for shape \(shape)")
            flat = flat * extent + i
        }
        return flat
    }

    /// Read-only access to the contiguous buffer.
    @inlinable
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: storage.data, count: count))
    }

    /// Mutable access to the contiguous buffer; copies first if the storage is shared.
    /// Mutation bypasses autograd: use it for optimiser updates and data loading only.
    @inlinable
    public mutating func withUnsafeMutableBufferPointer<R>(_ body: (UnsafeMutableBufferPointer<Float>) throws -> R) rethrows -> R {
        makeUnique()
        return try body(UnsafeMutableBufferPointer(start: storage.data, count: count))
    }

    @inlinable
    mutating func makeUnique() {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
    }

    /// Whether gradients flow back through this value.
    public var requiresGrad: Bool { node != nil }

    /// The same values, cut off from the autograd graph (stop-gradient).
    public func detached() -> Tensor { Tensor(shape: shape, storage: storage, node: nil) }

    /// A leaf that records gradients into `grad` after `backward()`; for tests and analysis.
    public func requiringGrad() -> Tensor {
        Tensor(shape: shape, storage: storage, node: Node(leafShape: shape))
    }

    /// The gradient accumulated into this leaf by the last `backward()`, if any.
    public var grad: Tensor? { node?.grad }
}

extension Tensor: CustomStringConvertible {
    public var description: String {
        let shown = scalars.prefix(16).map { String(format: "%.4g", $0) }.joined(separator: ", ")
        return "Tensor(shape: \(shape), [\(shown)\(count > 16 ? ", …" : "")])"
    }
}

import Foundation
