import TensorEngine

/// Variable-size sets of `F`-dimensional elements with one scalar target each.
///
/// Elements of all sets live in one contiguous buffer (`offsets[s]..<offsets[s+1]`
/// rows of width `F`), so batching is a copy into a padded tensor, not a walk
/// over per-sample arrays.
public struct SetDataset {
    /// `F`
    public let featureWidth: Int
    /// Row-major element features, `[Σ n_s, F]`.
    public internal(set) var elements: [Float]
    /// `count + 1` offsets into the element rows.
    public let offsets: [Int]
    public internal(set) var targets: [Float]
    /// Optional names of the element features (for messages and reports).
    public var featureNames: [String]
    /// Whether element `i` of every set means the same thing (a table's feature tokens),
    /// so standardisation is fitted per position rather than pooled over elements.
    public var positional = false
    /// Each set's id as its file names it (set CSV ids, table row numbers), for
    /// labelling predictions; empty for generated data.
    public var sampleIDs: [String] = []
    /// Whether `targets` came from the data (false: a prediction input without targets, all 0).
    public var hasTargets = true

    public init(featureWidth: Int, elements: [Float], offsets: [Int], targets: [Float], featureNames: [String] = []) {
        precondition(offsets.count == targets.count + 1, "SetDataset: \(offsets.count) offsets for \(targets.count) targets")
        precondition(elements.count == offsets.last! * featureWidth, "SetDataset: element buffer size mismatch")
        self.featureWidth = featureWidth
        self.elements = elements
        self.offsets = offsets
        self.targets = targets
        self.featureNames = featureNames
    }

    /// The number of sets.
    public var count: Int { targets.count }
    /// The number of elements of set `s`.
    public func size(_ s: Int) -> Int { offsets[s + 1] - offsets[s] }
    /// The largest set size.
    public var maxSize: Int { (0..<count).map(size).max() ?? 0 }

    /// The sets at `indices`.
    public func subset(_ indices: [Int]) -> SetDataset {
        var el: [Float] = []
        var off = [0]
        var t: [Float] = []
        el.reserveCapacity(indices.reduce(0) { $0 + size($1) } * featureWidth)
        for s in indices {
            el.append(contentsOf: elements[offsets[s] * featureWidth..<offsets[s + 1] * featureWidth])
            off.append(off.last! + size(s))
            t.append(targets[s])
        }
        var out = SetDataset(featureWidth: featureWidth, elements: el, offsets: off, targets: t, featureNames: featureNames)
        out.positional = positional
        return out
    }

    /// A padded batch of the sets at `indices`.
    public func batch(_ indices: [Int]) -> SetBatch {
        let b = indices.count
        let n = indices.map(size).max() ?? 0
        let f = featureWidth
        var x = Tensor.zeros([b, n, f])
        var m = Tensor.zeros([b, n])
        var y = Tensor.zeros([b])
        x.withUnsafeMutableBufferPointer { xb in
            m.withUnsafeMutableBufferPointer { mb in
                y.withUnsafeMutableBufferPointer { yb in
                    elements.withUnsafeBufferPointer { eb in
                        for (row, s) in indices.enumerated() {
                            let k = size(s)
                            let src = eb.baseAddress! + offsets[s] * f
                            (xb.baseAddress! + row * n * f).update(from: src, count: k * f)
                            for i in 0..<k { mb[row * n + i] = 1 }
                            yb[row] = targets[s]
                        }
                    }
                }
            }
        }
        return SetBatch(elements: x, mask: m, targets: y, indices: indices)
    }
}

/// One padded mini-batch.
public struct SetBatch {
    /// `[B, N, F]`
    public var elements: Tensor
    /// `[B, N]`, 1 = real element.
    public var mask: Tensor
    /// `[B]`
    public var targets: Tensor
    /// Which sets of the dataset these are.
    public var indices: [Int]
}
