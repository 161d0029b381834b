/// One recorded operation in the define-by-run graph.
///
/// A node keeps the nodes of the inputs that need gradients and a closure that,
/// given the gradient of the op's output, accumulates into those inputs. Leaves
/// (parameters, `requiringGrad()` tensors) have no closure and keep their
/// gradient after `backward()`; interior nodes drop theirs and their closure as
/// soon as they have been propagated, so a step's graph is freed by the walk.
public final class Node {
    @usableFromInline var inputs: [Node]
    @usableFromInline var propagate: ((Tensor) -> Void)?
    /// The gradient accumulated so far (for leaves: after the last `backward()`).
    public internal(set) var grad: Tensor?
    @usableFromInline let shape: [Int]
    @usableFromInline let name: String
    var visitMark: UInt64 = 0
    /// Interior nodes that keep their gradient after `backward()` (for diagnostics).
    var retainsGrad = false

    /// A leaf: gradients accumulate here and stay.
    init(leafShape: [Int]) {
        inputs = []
        propagate = nil
        shape = leafShape
        name = "leaf"
    }

    @usableFromInline
    init(op: String, shape: [Int], inputs: [Node], propagate: @escaping (Tensor) -> Void) {
        self.name = op
        self.shape = shape
        self.inputs = inputs
        self.propagate = propagate
    }

    /// Takes a graph that was never walked apart iteratively: the default recursive
    /// release of a long chain (a running total kept across many steps) overflows the stack.
    deinit {
        var pending = inputs
        inputs = []
        propagate = nil
        while var node = pending.popLast() {
            guard isKnownUniquelyReferenced(&node) else { continue }
            pending.append(contentsOf: node.inputs)
            node.inputs = []
            node.propagate = nil
        }
    }

    var isLeaf: Bool { name == "leaf" }

    /// Adds `g` to this node's gradient (the sum rule for values used several times).
    @usableFromInline
    func accumulate(_ g: Tensor) {
        precondition(g.shape == shape, "backward of \(name): gradient shape \(g.shape) does not match value shape \(shape)")
        if var current = grad {
            grad = nil  // drop our reference so the in-place add does not copy
            current.addInPlace(g)
            grad = current
        } else {
            grad = g.detached()
        }
    }

    /// Clears a leaf's gradient before the next step.
    public func zeroGrad() { grad = nil }
}
