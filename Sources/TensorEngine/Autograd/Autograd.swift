/// Global switches and the reverse-mode walker.
public enum Autograd {
    @usableFromInline nonisolated(unsafe) static var recording = true
    nonisolated(unsafe) static var generation: UInt64 = 0

    /// Whether ops currently record their backward (false inside `withoutGradients`).
    public static var isRecording: Bool { recording }

    /// Runs `body` without recording a graph: for evaluation and optimiser updates.
    @discardableResult
    public static func withoutGradients<R>(_ body: () throws -> R) rethrows -> R {
        let saved = recording
        recording = false
        defer { recording = saved }
        return try body()
    }

    /// Propagates `seed` from `root` through the graph in reverse topological order.
    static func backward(from root: Node, seed: Tensor) {
        generation &+= 1
        let mark = generation
        // Iterative post-order DFS: deep graphs must not overflow the stack.
        var order: [Node] = []
        var stack: [(Node, Int)] = [(root, 0)]
        root.visitMark = mark
        while let (node, next) = stack.popLast() {
            if next < node.inputs.count {
                stack.append((node, next + 1))
                let child = node.inputs[next]
                if child.visitMark != mark {
                    child.visitMark = mark
                    stack.append((child, 0))
                }
            } else {
                order.append(node)
            }
        }
        root.accumulate(seed)
        for node in order.reversed() {
            guard let propagate = node.propagate else { continue }
            if let g = node.grad { propagate(g) }
            // Free the interior of the graph as we go.
            if !node.retainsGrad { node.grad = nil }
            node.propagate = nil
            node.inputs = []
        }
    }
}

extension Tensor {
    /// Reverse-mode differentiation from this scalar: fills the gradients of every
    /// leaf (parameter) it depends on, adding to what they already hold.
    public func backward() {
        precondition(count == 1, "backward: called on a tensor of shape \(shape); expected a scalar")
        guard let node else { return }
        Autograd.backward(from: node, seed: Tensor(repeating: 1, shape: shape))
    }

    /// Backward from a non-scalar with an explicit output gradient (for tests).
    public func backward(gradient: Tensor) {
        precondition(gradient.shape == shape, "backward(gradient:): gradient shape \(gradient.shape) vs value shape \(shape)")
        guard let node else { return }
        Autograd.backward(from: node, seed: gradient)
    }

    /// Keeps this intermediate value's gradient after `backward()`, so diagnostics
    /// can read ∂loss/∂(this value) through `grad`. No effect on values outside the graph.
    public func retainingGrad() -> Tensor {
        node?.retainsGrad = true
        return self
    }

    /// Wraps a freshly computed value into the graph when any input needs gradients.
    @inlinable
    static func record(_ op: String, _ value: Tensor, _ inputs: [Tensor], _ propagate: @escaping (Tensor) -> Void) -> Tensor {
        guard Autograd.recording else { return value }
        var nodes: [Node] = []
        for t in inputs { if let n = t.node { nodes.append(n) } }
        if nodes.isEmpty { return value }
        var out = value
        out.node = Node(op: op, shape: value.shape, inputs: nodes, propagate: propagate)
        return out
    }
}
