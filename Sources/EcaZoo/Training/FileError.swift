#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A failed file-system operation, printed as one line that names the path and
/// the operating system's reason: `cannot write runs/a/metrics.json: Permission denied`.
public struct FileError: Error, CustomStringConvertible, Equatable {
    /// What was being attempted when the operation failed.
    public enum Operation: String, Sendable {
        case read, write, append
        case createDirectory = "create directory"
    }

    /// What was being attempted.
    public let operation: Operation
    /// The path as the caller gave it.
    public let path: String
    /// The `errno` value reported by the system call that failed.
    public let code: Int32

    /// Creates an error for `path` from an `errno` value.
    public init(_ operation: Operation, path: String, code: Int32) {
        self.operation = operation
        self.path = path
        self.code = code
    }

    /// The operating system's wording for `code`, such as "No such file or directory".
    public var reason: String {
        String(cString: strerror(code))
    }

    public var description: String {
        "cannot \(operation.rawValue) \(path): \(reason)"
    }
}
