/// A contiguous, heap-allocated Float32 buffer shared copy-on-write by tensors.
@usableFromInline
final class TensorStorage {
    @usableFromInline let count: Int
    @usableFromInline let data: UnsafeMutablePointer<Float>

    @usableFromInline
    init(count: Int) {
        self.count = count
        // Always allocate at least one element so `data` is a valid pointer for empty tensors.
        data = UnsafeMutablePointer<Float>.allocate(capacity: Swift.max(count, 1))
    }

    @usableFromInline
    convenience init(count: Int, repeating value: Float) {
        self.init(count: count)
        data.initialize(repeating: value, count: Swift.max(count, 1))
    }

    @usableFromInline
    func copy() -> TensorStorage {
        let other = TensorStorage(count: count)
        other.data.update(from: data, count: count)
        return other
    }

    deinit { data.deallocate() }
}
