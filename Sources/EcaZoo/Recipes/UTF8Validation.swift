/// Strict UTF-8 checking (RFC 3629), stricter than json-c's: json-c only
/// checks the shape of multi-byte sequences, so it lets overlong forms,
/// encoded surrogates and code points past U+10FFFF through, which Swift
/// would then silently turn into U+FFFD.
enum UTF8Validation {
    /// The length of the well-formed sequence starting at `offset`, or `nil`
    /// if the bytes there are not valid UTF-8.
    static func sequenceLength(_ bytes: [UInt8], at offset: Int) -> Int? {
        let lead = bytes[offset]
        let length: Int
        // The allowed range of the second byte rules out overlong forms,
        // surrogates and values beyond U+10FFFF (Unicode table 3-7).
        let secondRange: ClosedRange<UInt8>
        switch lead {
        case 0x00...0x7F: return 1
        case 0xC2...0xDF: length = 2; secondRange = 0x80...0xBF
        case 0xE0: length = 3; secondRange = 0xA0...0xBF
        case 0xE1...0xEC, 0xEE...0xEF: length = 3; secondRange = 0x80...0xBF
        case 0xED: length = 3; secondRange = 0x80...0x9F
        case 0xF0: length = 4; secondRange = 0x90...0xBF
        case 0xF1...0xF3: length = 4; secondRange = 0x80...0xBF
        case 0xF4: length = 4; secondRange = 0x80...0x8F
        default: return nil
        }
        guard offset + length <= bytes.count, secondRange.contains(bytes[offset + 1]) else { return nil }
        for index in (offset + 2)..<(offset + length) where !(0x80...0xBF).contains(bytes[index]) {
            return nil
        }
        return length
    }
}
