/// A contiguous, heap-allocated Float32 buffer shared copy-on-write by tensors.
@usableFromInline
final class TensorStorage {
    @usableFromInline let count: Int
    @usableFromInline let data: UnsafeMutablePointer<Float>

    /// Keeps glibc from handing large freed buffers back to the kernel: a training
    /// step frees and reallocates the same multi-megabyte activations every
    /// step, and returning them made every step pay page faults and page zeroing.
    static let allocatorTuned: Bool = {
        #if os(Linux)
        // glibc's M_TRIM_THRESHOLD (-1) and M_MMAP_THRESHOLD (-3), from <malloc.h>,
        // which the Glibc module does not export.
        _ = glibcMallopt(-3, 256 << 20)
        _ = glibcMallopt(-1, 512 << 20)
        #endif
        return true
    }()

    @usableFromInline
    init(count: Int) {
        _ = TensorStorage.allocatorTuned
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

#if os(Linux)
@_silgen_name("mallopt")
private func glibcMallopt(_ parameter: Int32, _ value: Int32) -> Int32
#endif
