extension Tensor {
    @usableFromInline
    func unary<K: UnaryKernel>(_ k: K.Type) -> Tensor {
        let x = self
        let y = unaryKernel(K.self, x)
        return Tensor.record(K.name, y, [x]) { g in x.node?.accumulate(unaryBackward(K.self, x, y, g)) }
    }

    /// The value of a unary kernel without recording (for backward formulas).
    @usableFromInline
    func unaryValue<K: UnaryKernel>(_ k: K.Type) -> Tensor { unaryKernel(K.self, self) }

    public func exp() -> Tensor { unary(ExpKernel.self) }
    public func log() -> Tensor { unary(LogKernel.self) }
    public func sqrt() -> Tensor { unary(SqrtKernel.self) }
    public func abs() -> Tensor { unary(AbsKernel.self) }
    public func relu() -> Tensor { unary(ReluKernel.self) }
    /// GELU, tanh approximation.
    public func gelu() -> Tensor { unary(GeluKernel.self) }
    /// ELU with alpha = 1.
    public func elu() -> Tensor { unary(EluKernel.self) }
    public func tanh() -> Tensor { unary(TanhKernel.self) }
    public func sigmoid() -> Tensor { unary(SigmoidKernel.self) }
    /// log(1 + eˣ), stable for large |x|.
    public func softplus() -> Tensor { unary(SoftplusKernel.self) }
}
