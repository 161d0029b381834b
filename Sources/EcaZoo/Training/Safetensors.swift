import Foundation

/// Reads and writes Float32 tensors in the safetensors format, so checkpoints
/// open in any tool that speaks it (Python's `safetensors`, PyTorch, JAX).
///
/// Layout: an 8-byte little-endian header length `N`, `N` bytes of JSON
/// (padded with spaces so the data starts on an 8-byte boundary), then each
/// tensor's little-endian Float32 values, back to back:
///
/// ```text
/// {"__metadata__":{"epoch":"12"},"w":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]}}
/// ```
///
/// ```swift
/// let bytes = Safetensors.encode(tensors: [(name: "w", shape: [2, 3], values: w)],
///                                metadata: ["epoch": "12"])
/// let (tensors, metadata) = try Safetensors.decode(bytes, origin: "model.safetensors")
/// ```
public enum Safetensors {
    /// One named tensor: its shape and its values in row-major order.
    public typealias Tensor = (name: String, shape: [Int], values: [Float])

    /// Headers larger than this are refused rather than parsed; real headers are
    /// kilobytes, so a bigger length means a corrupt or foreign file.
    public static let maximumHeaderLength = 100_000_000

    /// Encodes tensors and string metadata as a safetensors file.
    ///
    /// The output is deterministic: metadata keys are sorted, and tensors appear
    /// in the header and in the data in the order given, which ``decode(_:origin:)``
    /// gives back.
    ///
    /// - Parameters:
    ///   - tensors: Tensors with distinct names; each shape's product must equal its value count.
    ///   - metadata: Free-form string pairs stored under `__metadata__`.
    /// - Returns: The complete file contents.
    public static func encode(tensors: [Tensor], metadata: [String: String] = [:]) -> Data {
        var names = Set<String>()
        for tensor in tensors {
            precondition(tensor.name != "__metadata__" && names.insert(tensor.name).inserted,
                         "Safetensors.encode: tensor name \"\(tensor.name)\" is reserved or repeated")
            precondition(tensor.shape.allSatisfy { $0 >= 0 } && tensor.shape.reduce(1, *) == tensor.values.count,
                         "Safetensors.encode: tensor \"\(tensor.name)\" has shape \(tensor.shape) "
                             + "but \(tensor.values.count) values")
        }

        // Written by hand because JSONSerialization does not promise an order.
        var header = "{\"__metadata__\":{"
        header += metadata.keys.sorted().map { key in
            JSONWriter.quote(key) + ":" + JSONWriter.quote(metadata[key]!)
        }.joined(separator: ",")
        header += "}"
        var offset = 0
        for tensor in tensors {
            let end = offset + tensor.values.count * MemoryLayout<Float>.size
            header += "," + JSONWriter.quote(tensor.name) + ":{\"dtype\":\"F32\",\"shape\":["
                + tensor.shape.map(String.init).joined(separator: ",")
                + "],\"data_offsets\":[\(offset),\(end)]}"
            offset = end
        }
        header += "}"
        var headerBytes = Array(header.utf8)
        // Aligning the data to 8 bytes lets readers map Float32 values in place.
        while headerBytes.count % 8 != 0 { headerBytes.append(UInt8(ascii: " ")) }

        var data = Data(capacity: 8 + headerBytes.count + offset)
        withUnsafeBytes(of: UInt64(headerBytes.count).littleEndian) { data.append(contentsOf: $0) }
        data.append(contentsOf: headerBytes)
        for tensor in tensors {
            #if _endian(big)
            let stored = tensor.values.map { $0.bitPattern.littleEndian }
            stored.withUnsafeBytes { data.append(contentsOf: $0) }
            #else
            tensor.values.withUnsafeBytes { data.append(contentsOf: $0) }
            #endif
        }
        return data
    }

    /// Decodes a safetensors file holding only F32 tensors.
    ///
    /// Everything is checked before any value is read: the header length, the
    /// JSON, each tensor's dtype, shape and byte range, and that the ranges tile
    /// the data exactly (no overlap, no gap, nothing left over).
    ///
    /// - Parameters:
    ///   - data: The complete file contents.
    ///   - origin: The name used in error messages, usually the file path.
    /// - Returns: The tensors in the order their data appears in the file, and the metadata.
    /// - Throws: ``SafetensorsError`` naming `origin`.
    public static func decode(_ data: Data, origin: String) throws
        -> (tensors: [Tensor], metadata: [String: String])
    {
        guard data.count >= 8 else {
            throw SafetensorsError.truncated(
                origin: origin, detail: "\(data.count) bytes, but the header length alone takes 8")
        }
        var length: UInt64 = 0
        for index in (0..<8).reversed() {
            length = length << 8 | UInt64(data[data.startIndex + index])
        }
        let available = data.count - 8
        guard length <= UInt64(maximumHeaderLength) else {
            throw SafetensorsError.headerTooLarge(origin: origin, headerLength: length, available: available)
        }
        guard length <= UInt64(available) else {
            throw SafetensorsError.truncated(
                origin: origin, detail: "the header needs \(length) bytes but only \(available) follow")
        }
        let headerEnd = data.startIndex + 8 + Int(length)
        let headerData = data[(data.startIndex + 8)..<headerEnd]
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: headerData)
        } catch {
            throw SafetensorsError.badHeader(origin: origin, detail: "not valid JSON")
        }
        guard let object = parsed as? [String: Any] else {
            throw SafetensorsError.badHeader(origin: origin, detail: "the header is not a JSON object")
        }

        var metadata: [String: String] = [:]
        if let raw = object["__metadata__"] {
            guard let pairs = raw as? [String: Any] else {
                throw SafetensorsError.badHeader(origin: origin, detail: "__metadata__ is not an object")
            }
            for (key, value) in pairs {
                guard let string = value as? String else {
                    throw SafetensorsError.badHeader(
                        origin: origin, detail: "__metadata__ value for \"\(key)\" is not a string")
                }
                metadata[key] = string
            }
        }

        struct Entry {
            var name: String, shape: [Int], begin: Int, end: Int
        }
        let dataBytes = data.count - 8 - Int(length)
        var entries: [Entry] = []
        for (name, raw) in object where name != "__metadata__" {
            guard let fields = raw as? [String: Any] else {
                throw SafetensorsError.badHeader(origin: origin, detail: "entry \"\(name)\" is not an object")
            }
            guard let dtype = fields["dtype"] as? String else {
                throw SafetensorsError.badHeader(origin: origin, detail: "tensor \"\(name)\" has no dtype")
            }
            guard dtype == "F32" else {
                throw SafetensorsError.unsupportedDType(origin: origin, tensor: name, dtype: dtype)
            }
            guard let shape = integers(fields["shape"]), shape.allSatisfy({ $0 >= 0 }) else {
                throw SafetensorsError.badHeader(
                    origin: origin, detail: "tensor \"\(name)\" has no shape of non-negative integers")
            }
            guard let offsets = integers(fields["data_offsets"]), offsets.count == 2 else {
                throw SafetensorsError.badHeader(
                    origin: origin, detail: "tensor \"\(name)\" has no data_offsets [begin, end]")
            }
            let (begin, end) = (offsets[0], offsets[1])
            guard 0 <= begin, begin <= end else {
                throw SafetensorsError.badOffsets(
                    origin: origin, tensor: name, detail: "data_offsets [\(begin), \(end)] are not a byte range")
            }
            guard end <= dataBytes else {
                throw SafetensorsError.truncated(
                    origin: origin,
                    detail: "tensor \"\(name)\" ends at data byte \(end) "
                        + "but only \(dataBytes) data bytes follow the header")
            }
            var elements = 1
            for extent in shape {
                let (product, overflow) = elements.multipliedReportingOverflow(by: extent)
                guard !overflow, product <= dataBytes else {
                    throw SafetensorsError.sizeMismatch(origin: origin, tensor: name, shape: shape,
                                                        byteCount: end - begin)
                }
                elements = product
            }
            guard elements * MemoryLayout<Float>.size == end - begin else {
                throw SafetensorsError.sizeMismatch(origin: origin, tensor: name, shape: shape,
                                                    byteCount: end - begin)
            }
            entries.append(Entry(name: name, shape: shape, begin: begin, end: end))
        }

        // Ties (empty tensors at one offset) break by name so the order is stable.
        entries.sort { ($0.begin, $0.end, $0.name) < ($1.begin, $1.end, $1.name) }
        var expected = 0
        for entry in entries {
            if entry.begin < expected {
                throw SafetensorsError.badOffsets(
                    origin: origin, tensor: entry.name,
                    detail: "data_offsets [\(entry.begin), \(entry.end)] overlap the previous tensor, "
                        + "which ends at \(expected)")
            }
            if entry.begin > expected {
                throw SafetensorsError.badOffsets(
                    origin: origin, tensor: entry.name,
                    detail: "data_offsets [\(entry.begin), \(entry.end)] leave a gap after byte \(expected)")
            }
            expected = entry.end
        }
        guard expected == dataBytes else {
            throw SafetensorsError.badOffsets(
                origin: origin, tensor: entries.last?.name ?? "",
                detail: "the tensors end at byte \(expected) but \(dataBytes) data bytes follow the header")
        }

        let tensors: [Tensor] = data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            let base = raw.baseAddress! + 8 + Int(length)
            return entries.map { entry in
                let count = (entry.end - entry.begin) / MemoryLayout<Float>.size
                let values = [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
                    if count > 0 {
                        // The source need not be 4-byte aligned, so copy bytes rather than load floats.
                        memcpy(buffer.baseAddress!, base + entry.begin, count * MemoryLayout<Float>.size)
                    }
                    #if _endian(big)
                    for index in 0..<count {
                        buffer[index] = Float(bitPattern: UInt32(littleEndian: buffer[index].bitPattern))
                    }
                    #endif
                    initialized = count
                }
                return (name: entry.name, shape: entry.shape, values: values)
            }
        }
        return (tensors, metadata)
    }

    /// Encodes tensors and writes them to `path` atomically (see ``AtomicFile``).
    ///
    /// - Throws: ``FileError`` naming `path`.
    public static func write(tensors: [Tensor], metadata: [String: String] = [:], to path: String) throws {
        try AtomicFile.write(encode(tensors: tensors, metadata: metadata), to: path)
    }

    /// Reads and decodes the safetensors file at `path`.
    ///
    /// - Throws: ``FileError`` if the file cannot be read, ``SafetensorsError`` if it is malformed.
    public static func read(path: String) throws -> (tensors: [Tensor], metadata: [String: String]) {
        try decode(AtomicFile.read(path), origin: path)
    }

    // MARK: - Helpers

    /// A JSON array of integers, or `nil` if `value` is anything else.
    private static func integers(_ value: Any?) -> [Int]? {
        guard let array = value as? [Any] else { return nil }
        var result: [Int] = []
        result.reserveCapacity(array.count)
        for element in array {
            // JSONSerialization may hand back whole numbers as Double, so accept integral values.
            guard let number = element as? NSNumber else { return nil }
            let double = number.doubleValue
            guard double.rounded() == double, abs(double) < 9e15 else { return nil }
            result.append(Int(double))
        }
        return result
    }
}
