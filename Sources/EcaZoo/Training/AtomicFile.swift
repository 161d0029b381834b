import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Whole-file writes that readers never see half done, line appends that
/// concurrent writers never interleave, and reads with one-line errors.
///
/// ```swift
/// try AtomicFile.write(checkpoint, to: "runs/a/model.safetensors")
/// try AtomicFile.appendLine(#"{"epoch":3,"loss":0.12}"#, to: "runs/a/metrics.jsonl")
/// ```
///
/// All failures throw ``FileError``.
public enum AtomicFile {
    /// Replaces the contents of `path` with `data` in one step.
    ///
    /// The bytes go to a hidden temporary file in the same directory, which is
    /// then renamed over `path`: rename(2) within one file system is atomic, so
    /// a reader (or a crash) sees the old file or the new one, never a mix. An
    /// existing file keeps its permission bits.
    ///
    /// - Parameters:
    ///   - data: The complete new contents.
    ///   - path: The file to create or replace; its directory must exist.
    ///   - durable: When `true` (the default), flush the file and its directory
    ///     to disk before returning, so the new contents survive a power loss.
    /// - Throws: ``FileError`` naming `path` and the system's reason.
    public static func write(_ data: Data, to path: String, durable: Bool = true) throws {
        let (directory, name) = split(path)
        let temporary = directory + "/." + name + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        guard descriptor >= 0 else { throw FileError(.write, path: path, code: errno) }
        var committed = false
        defer {
            if !committed { unlink(temporary) }
        }
        do {
            defer { close(descriptor) }
            var existing = stat()
            if stat(path, &existing) == 0 {
                _ = fchmod(descriptor, existing.st_mode & 0o7777)
            }
            try writeAll(data, to: descriptor, path: path, operation: .write)
            if durable, fsync(descriptor) != 0 {
                throw FileError(.write, path: path, code: errno)
            }
        }
        guard rename(temporary, path) == 0 else { throw FileError(.write, path: path, code: errno) }
        committed = true
        if durable {
            // The rename itself lives in the directory entry, so flush that too;
            // failing here loses durability, not correctness, so it is not an error.
            let directoryDescriptor = open(directory, O_RDONLY | O_CLOEXEC)
            if directoryDescriptor >= 0 {
                _ = fsync(directoryDescriptor)
                close(directoryDescriptor)
            }
        }
    }

    /// Appends `line` and a newline to `path`, creating the file if needed.
    ///
    /// The file is opened with `O_APPEND` and the line goes out in a single
    /// write(2), so lines from several writers (processes in a sweep, say)
    /// stay whole in a JSON Lines file.
    ///
    /// - Parameters:
    ///   - line: One line of text without a newline; a trailing newline is tolerated.
    ///   - path: The file to append to.
    ///   - sync: When `true`, flush the file to disk before returning.
    /// - Throws: ``FileError`` naming `path` and the system's reason.
    public static func appendLine(_ line: String, to path: String, sync: Bool = false) throws {
        var text = line
        if text.hasSuffix("\n") { text.removeLast() }
        precondition(!text.contains(where: \.isNewline),
                     "AtomicFile.appendLine: the line for \(path) contains a line break; one record per line")
        text.append("\n")
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o666)
        guard descriptor >= 0 else { throw FileError(.append, path: path, code: errno) }
        defer { close(descriptor) }
        try writeAll(Data(text.utf8), to: descriptor, path: path, operation: .append)
        if sync, fsync(descriptor) != 0 {
            throw FileError(.append, path: path, code: errno)
        }
    }

    /// Reads the whole of `path`.
    ///
    /// - Throws: ``FileError`` naming `path` and the system's reason; a
    ///   directory gives `EISDIR` ("Is a directory").
    public static func read(_ path: String) throws -> Data {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw FileError(.read, path: path, code: errno) }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw FileError(.read, path: path, code: errno) }
        if (info.st_mode & S_IFMT) == S_IFDIR { throw FileError(.read, path: path, code: EISDIR) }
        // The size is a hint only: files in /proc report 0, and a file may grow.
        var data = Data(count: max(Int(info.st_size), 0) + 1)
        var filled = 0
        while true {
            if filled == data.count { data.count += max(data.count, 65_536) }
            let capacity = data.count - filled
            let result = data.withUnsafeMutableBytes { buffer in
                posixRead(descriptor, buffer.baseAddress! + filled, capacity)
            }
            if result < 0 {
                if errno == EINTR { continue }
                throw FileError(.read, path: path, code: errno)
            }
            if result == 0 { break }
            filled += result
        }
        data.count = filled
        return data
    }

    // MARK: - Helpers

    private static func writeAll(_ data: Data, to descriptor: Int32, path: String,
                                 operation: FileError.Operation) throws {
        try data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
            guard var next = buffer.baseAddress else { return }
            var remaining = buffer.count
            while remaining > 0 {
                // Regular files take the whole buffer in one call; the loop only
                // matters after a signal or when the disk fills up.
                let written = posixWrite(descriptor, next, remaining)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw FileError(operation, path: path, code: errno)
                }
                next += written
                remaining -= written
            }
        }
    }

    /// The directory (`.` when none is given) and the last component of `path`.
    private static func split(_ path: String) -> (directory: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let directory = String(path[..<slash])
        return (directory.isEmpty ? "/" : directory, String(path[path.index(after: slash)...]))
    }
}

// `read` and `write` are shadowed inside `AtomicFile` by its own methods.
@inline(__always)
private func posixRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(descriptor, buffer, count)
}

@inline(__always)
private func posixWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, buffer, count)
}
