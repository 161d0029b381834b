/// A safetensors file that cannot be decoded, printed as one line that names
/// the file: `model.safetensors: tensor "w" has dtype F16; only F32 is supported`.
public enum SafetensorsError: Error, CustomStringConvertible, Equatable {
    /// The file ends before the header length or the header itself.
    case truncated(origin: String, detail: String)
    /// The header length field is beyond ``Safetensors/maximumHeaderLength``,
    /// so the file is corrupt or not safetensors at all.
    case headerTooLarge(origin: String, headerLength: UInt64, available: Int)
    /// The header is not valid JSON or not shaped like a safetensors header.
    case badHeader(origin: String, detail: String)
    /// A tensor is stored in a type other than F32.
    case unsupportedDType(origin: String, tensor: String, dtype: String)
    /// A tensor's byte range is outside the data, overlaps another, or leaves a gap.
    case badOffsets(origin: String, tensor: String, detail: String)
    /// A tensor's shape does not match the number of bytes it occupies.
    case sizeMismatch(origin: String, tensor: String, shape: [Int], byteCount: Int)

    public var description: String {
        switch self {
        case let .truncated(origin, detail):
            return "\(origin): truncated safetensors file: \(detail)"
        case let .headerTooLarge(origin, headerLength, available):
            return "\(origin): header length \(headerLength) is implausibly large "
                + "(the file has \(available) bytes after the length field); not a safetensors file?"
        case let .badHeader(origin, detail):
            return "\(origin): bad safetensors header: \(detail)"
        case let .unsupportedDType(origin, tensor, dtype):
            return "\(origin): tensor \"\(tensor)\" has dtype \(dtype); only F32 is supported"
        case let .badOffsets(origin, tensor, detail):
            return "\(origin): tensor \"\(tensor)\": \(detail)"
        case let .sizeMismatch(origin, tensor, shape, byteCount):
            let elements = shape.reduce(1, *)
            return "\(origin): tensor \"\(tensor)\" has shape \(shape) (\(elements) values, "
                + "\(elements * 4) bytes as F32) but occupies \(byteCount) bytes"
        }
    }
}
