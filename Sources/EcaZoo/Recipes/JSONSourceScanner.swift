/// A single pass over JSON source text that runs before json-c, for two reasons.
///
/// 1. json-c cannot both allow comments and refuse trailing commas: its
///    non-strict mode accepts `[1,2,]`, `{"a":1,}`, `True`, trailing text and
///    more, while its strict mode rejects comments. So the scanner blanks out
///    comments (and a leading byte-order mark) and json-c parses in strict mode.
/// 2. Even strict json-c accepts things a recipe must not contain, silently:
///    duplicate keys (the last wins), integers beyond 64 bits (clamped),
///    `NaN`/`Infinity`, single-quoted strings, raw control characters in
///    strings, and malformed UTF-8 such as overlong forms and encoded
///    surrogates. The scanner finds these and words a clear message for each,
///    and also for the common structural slips (trailing comma, unclosed or
///    mismatched bracket) where json-c's own message would be vague.
///
/// The scanner stops at its first finding. The parser compares its offset with
/// the offset of json-c's error, if any, and reports whichever comes first.
struct JSONSourceScanner {
    /// Something wrong at a byte offset, or in the whole text if `offset` is nil.
    struct Issue: Error {
        var offset: Int?
        var message: String
    }

    /// What the scanner produced: the text for json-c and the first issue.
    struct Result {
        /// The input with comments and any byte-order mark replaced by
        /// spaces, so that every byte offset still means the same place.
        var blanked: [UInt8]
        var issue: Issue?
    }

    private struct Frame {
        var opener: UInt8
        var offset: Int
        var keys: Set<String> = []
    }

    /// The kind of the last token, which decides whether a string is a key,
    /// whether a closing bracket follows a comma, and so on.
    private enum Last {
        case none, open, comma, colon, key, value
    }

    private let source: [UInt8]
    private let lines: SourceLines
    private let maximumDepth: Int
    private var blanked: [UInt8]
    private var stack: [Frame] = []
    private var last = Last.none
    private var lastCommaOffset = 0
    private var sawValue = false

    /// Scans `source`, whose line starts are in `lines`.
    static func scan(_ source: [UInt8], lines: SourceLines, maximumDepth: Int) -> Result {
        var scanner = JSONSourceScanner(source: source, lines: lines, maximumDepth: maximumDepth)
        let issue = scanner.run()
        return Result(blanked: scanner.blanked, issue: issue)
    }

    private init(source: [UInt8], lines: SourceLines, maximumDepth: Int) {
        self.source = source
        self.lines = lines
        self.maximumDepth = maximumDepth
        self.blanked = source
    }

    // MARK: - Main loop

    private mutating func run() -> Issue? {
        let count = source.count
        var index = 0
        // Editors on some systems prefix a byte-order mark; it is harmless text
        // metadata, but json-c rejects it as invalid UTF-8.
        if source.starts(with: [0xEF, 0xBB, 0xBF]) {
            blank(0..<3)
            index = 3
        }
        while index < count {
            let byte = source[index]
            switch byte {
            case 0x20, 0x09, 0x0A, 0x0D:
                index += 1
                continue
            case UInt8(ascii: "/"):
                switch comment(at: index) {
                case .success(let end): index = end
                case .failure(let issue): return issue
                }
                continue
            default:
                break
            }
            if stack.isEmpty && sawValue {
                return Issue(offset: index, message: "unexpected \(character(at: index)) after the end of the JSON value")
            }
            let step: Swift.Result<Int, Issue>
            switch byte {
            case UInt8(ascii: "\""): step = string(at: index)
            case UInt8(ascii: "{"), UInt8(ascii: "["): step = open(at: index)
            case UInt8(ascii: "}"), UInt8(ascii: "]"): step = close(at: index)
            case UInt8(ascii: ","):
                last = .comma
                lastCommaOffset = index
                step = .success(index + 1)
            case UInt8(ascii: ":"):
                last = .colon
                step = .success(index + 1)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): step = number(at: index)
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "_"):
                step = word(at: index)
            case UInt8(ascii: "'"):
                step = .failure(Issue(offset: index, message: "strings must be in double quotes, not single quotes"))
            default:
                step = .failure(unexpected(at: index))
            }
            switch step {
            case .success(let end): index = end
            case .failure(let issue): return issue
            }
        }
        if let frame = stack.last {
            let position = lines.position(ofByte: frame.offset)
            return Issue(
                offset: JSONSourceScanner.endOfContent(source),
                message: "unexpected end of file: '\(Character(Unicode.Scalar(frame.opener)))' opened at "
                    + "line \(position.line), column \(position.column) is never closed")
        }
        if !sawValue {
            return Issue(offset: nil, message: "file is empty (only whitespace and comments)")
        }
        return nil
    }

    // MARK: - Tokens

    /// Blanks a `//` or `/* */` comment, returning the offset after it.
    private mutating func comment(at start: Int) -> Swift.Result<Int, Issue> {
        let next = start + 1 < source.count ? source[start + 1] : 0
        var end = start + 2
        if next == UInt8(ascii: "/") {
            while end < source.count && source[end] != 0x0A { end += 1 }
        } else if next == UInt8(ascii: "*") {
            while end + 1 < source.count && !(source[end] == UInt8(ascii: "*") && source[end + 1] == UInt8(ascii: "/")) {
                end += 1
            }
            guard end + 1 < source.count else {
                blank(start..<source.count)
                return .failure(Issue(offset: start, message: "comment is never closed (missing '*/')"))
            }
            end += 2
        } else {
            return .failure(unexpected(at: start))
        }
        // Blank the whole comment before checking its text, so that json-c
        // never trips over the comment itself ahead of the real problem.
        blank(start..<end)
        var index = start + 2
        while index < end {
            if let issue = checkUTF8(at: &index) { return .failure(issue) }
        }
        return .success(end)
    }

    private mutating func string(at start: Int) -> Swift.Result<Int, Issue> {
        var index = start + 1
        var hasEscape = false
        while true {
            guard index < source.count else {
                let position = lines.position(ofByte: start)
                return .failure(Issue(
                    offset: JSONSourceScanner.endOfContent(source),
                    message: "unexpected end of file: string opened at line \(position.line), "
                        + "column \(position.column) is never closed"))
            }
            let byte = source[index]
            if byte == UInt8(ascii: "\"") { break }
            if byte == UInt8(ascii: "\\") {
                hasEscape = true
                if let issue = checkEscape(at: index) { return .failure(issue) }
                index += index + 1 < source.count && source[index + 1] == UInt8(ascii: "u") ? 6 : 2
                continue
            }
            if byte == 0x0A || byte == 0x0D {
                return .failure(Issue(offset: start, message: "string is not closed before the end of the line"))
            }
            if byte < 0x20 {
                return .failure(Issue(
                    offset: index,
                    message: "control character \(scalarName(UInt32(byte))) inside a string must be written as an escape"))
            }
            if let issue = checkUTF8(at: &index) { return .failure(issue) }
        }
        let end = index + 1
        if isKeyPosition {
            // json-c keeps the last of two equal keys without a word, which
            // would let a typo'd copy-paste silently override a setting.
            let raw = Array(source[(start + 1)..<index])
            if let key = hasEscape ? JSONSourceScanner.unescape(raw) : String(decoding: raw, as: UTF8.self) {
                if stack[stack.count - 1].keys.insert(key).inserted == false {
                    return .failure(Issue(offset: start, message: "duplicate key \(JSONWriter.quote(key))"))
                }
            }
            last = .key
        } else {
            noteValue()
        }
        return .success(end)
    }

    private mutating func open(at index: Int) -> Swift.Result<Int, Issue> {
        if isKeyPosition { return .failure(keyNotString(at: index, found: character(at: index))) }
        stack.append(Frame(opener: source[index], offset: index))
        last = .open
        if stack.count > maximumDepth {
            return .failure(Issue(offset: index, message: "nested deeper than \(maximumDepth) levels"))
        }
        return .success(index + 1)
    }

    private mutating func close(at index: Int) -> Swift.Result<Int, Issue> {
        let closer = source[index]
        let expectedOpener = closer == UInt8(ascii: "}") ? UInt8(ascii: "{") : UInt8(ascii: "[")
        let closerText = Character(Unicode.Scalar(closer))
        guard let frame = stack.last else {
            return .failure(Issue(offset: index, message: "unexpected '\(closerText)' with no matching opening bracket"))
        }
        if frame.opener != expectedOpener {
            let position = lines.position(ofByte: frame.offset)
            return .failure(Issue(
                offset: index,
                message: "'\(closerText)' does not match '\(Character(Unicode.Scalar(frame.opener)))' opened at "
                    + "line \(position.line), column \(position.column)"))
        }
        if last == .comma {
            return .failure(Issue(offset: lastCommaOffset, message: "trailing comma before '\(closerText)' is not allowed"))
        }
        stack.removeLast()
        noteValue()
        return .success(index + 1)
    }

    private mutating func number(at start: Int) -> Swift.Result<Int, Issue> {
        var end = start + 1
        while end < source.count, JSONSourceScanner.isNumberOrWordByte(source[end]) { end += 1 }
        let text = String(decoding: source[start..<end], as: UTF8.self)
        if isKeyPosition { return .failure(keyNotString(at: start, found: text)) }
        guard JSONSourceScanner.isJSONNumber(text) else {
            let magnitude = text.hasPrefix("-") ? String(text.dropFirst()) : text
            if ["nan", "infinity", "inf"].contains(magnitude.lowercased()) {
                return .failure(Issue(offset: start, message: "\(text) is not valid JSON (JSON has no NaN or Infinity)"))
            }
            return .failure(Issue(offset: start, message: "invalid number \(text)"))
        }
        let isInteger = !text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" })
        // Every number becomes a Double, exact for integers only up to 2^53;
        // json-c would also clamp anything past 64 bits without a word.
        if isInteger, let value = Double(text), abs(value) > 9_007_199_254_740_992 {
            return .failure(Issue(
                offset: start,
                message: "integer \(text) is too large to hold exactly (the limit is 2^53 = 9007199254740992)"))
        }
        if let value = Double(text), !value.isFinite {
            return .failure(Issue(offset: start, message: "number \(text) is out of range"))
        }
        noteValue()
        return .success(end)
    }

    /// A bare word: `true`, `false`, `null`, or a mistake worth naming.
    private mutating func word(at start: Int) -> Swift.Result<Int, Issue> {
        var end = start + 1
        while end < source.count, JSONSourceScanner.isNumberOrWordByte(source[end]) { end += 1 }
        let text = String(decoding: source[start..<end], as: UTF8.self)
        if isKeyPosition { return .failure(keyNotString(at: start, found: text)) }
        switch text {
        case "true", "false", "null":
            noteValue()
            return .success(end)
        case _ where ["true", "false", "null"].contains(text.lowercased()):
            return .failure(Issue(offset: start, message: "\(text) must be written in lowercase: \(text.lowercased())"))
        case "NaN", "Infinity", "inf", "nan":
            return .failure(Issue(offset: start, message: "\(text) is not valid JSON (JSON has no NaN or Infinity)"))
        default:
            return .failure(Issue(offset: start, message: "unexpected word \(text) (strings must be in double quotes)"))
        }
    }

    // MARK: - Helpers

    /// Checks the escape sequence whose backslash is at `offset`: json-c
    /// words a bad one as "invalid string sequence", or as "invalid UTF-8"
    /// when a multi-byte character follows the backslash.
    private func checkEscape(at offset: Int) -> Issue? {
        guard offset + 1 < source.count else { return nil }  // the caller reports the unclosed string
        switch source[offset + 1] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
            UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            return nil
        case UInt8(ascii: "u"):
            let digits = source[(offset + 2)..<min(offset + 6, source.count)]
            if digits.count == 4, digits.allSatisfy({ Character(Unicode.Scalar($0)).isHexDigit }) { return nil }
            return Issue(offset: offset, message: "invalid escape in a string: \\u must be followed by four hex digits")
        case 0x0A, 0x0D:
            return Issue(offset: offset, message: "invalid escape in a string: '\\' at the end of the line")
        default:
            let next = source[offset + 1]
            if next >= 0x20, next != 0x7F, let length = UTF8Validation.sequenceLength(source, at: offset + 1) {
                let escaped = String(decoding: source[(offset + 1)..<(offset + 1 + length)], as: UTF8.self)
                return Issue(offset: offset, message: "invalid escape '\\\(escaped)' in a string")
            }
            return Issue(offset: offset, message: "invalid escape in a string: '\\' followed by \(character(at: offset + 1))")
        }
    }

    /// After `{` or `,` inside an object a key must come next.
    private var isKeyPosition: Bool {
        guard stack.last?.opener == UInt8(ascii: "{") else { return false }
        return last == .open || last == .comma
    }

    private mutating func noteValue() {
        last = .value
        if stack.isEmpty { sawValue = true }
    }

    private mutating func blank(_ range: Range<Int>) {
        // Newlines stay so json-c's view of the text has the same lines.
        for index in range where blanked[index] != 0x0A { blanked[index] = 0x20 }
    }

    private func keyNotString(at offset: Int, found: String) -> Issue {
        Issue(offset: offset, message: "object key must be a string in double quotes, got \(found)")
    }

    private func unexpected(at offset: Int) -> Issue {
        if source[offset] >= 0x80, UTF8Validation.sequenceLength(source, at: offset) == nil {
            return Issue(offset: offset, message: "invalid UTF-8 byte \(JSONSourceScanner.hex(source[offset]))")
        }
        return Issue(offset: offset, message: "unexpected \(character(at: offset))")
    }

    /// A readable name for the character at `offset`: `'x'`, `U+000C` for a
    /// control character, or `byte 0xFF` when it is not valid UTF-8.
    private func character(at offset: Int) -> String {
        let byte = source[offset]
        if byte < 0x20 || byte == 0x7F { return "control character \(scalarName(UInt32(byte)))" }
        if byte < 0x80 { return "'\(Character(Unicode.Scalar(byte)))'" }
        guard let length = UTF8Validation.sequenceLength(source, at: offset) else {
            return "byte \(JSONSourceScanner.hex(byte))"
        }
        return "'\(String(decoding: source[offset..<(offset + length)], as: UTF8.self))'"
    }

    private func scalarName(_ value: UInt32) -> String {
        let hex = String(value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    /// Advances past one character, or returns an issue if it is not UTF-8.
    private func checkUTF8(at index: inout Int) -> Issue? {
        if source[index] < 0x80 {
            index += 1
            return nil
        }
        guard let length = UTF8Validation.sequenceLength(source, at: index) else {
            return Issue(offset: index, message: "invalid UTF-8 byte \(JSONSourceScanner.hex(source[index]))")
        }
        index += length
        return nil
    }

    /// Where "end of file" errors point: just after the last non-blank
    /// byte, on a line the editor shows, rather than past the final newline.
    static func endOfContent(_ source: [UInt8]) -> Int {
        var end = source.count
        while end > 0, [0x20, 0x09, 0x0A, 0x0D].contains(source[end - 1]) { end -= 1 }
        return end
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = String(byte, radix: 16, uppercase: true)
        return "0x" + (digits.count < 2 ? "0" : "") + digits
    }

    /// Bytes that belong to one number or bare word, so that `0x10` or
    /// `-Infinity` is reported whole rather than from its middle.
    private static func isNumberOrWordByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "_"), UInt8(ascii: "+"),
            UInt8(ascii: "-"), UInt8(ascii: "."):
            return true
        default:
            return false
        }
    }

    /// RFC 8259 number grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    static func isJSONNumber(_ text: String) -> Bool {
        var bytes = Array(text.utf8)[...]
        func digits() -> Int {
            var count = 0
            while let first = bytes.first, first >= UInt8(ascii: "0"), first <= UInt8(ascii: "9") {
                bytes.removeFirst()
                count += 1
            }
            return count
        }
        if bytes.first == UInt8(ascii: "-") { bytes.removeFirst() }
        if bytes.first == UInt8(ascii: "0") {
            bytes.removeFirst()
        } else if digits() == 0 {
            return false
        }
        if bytes.first == UInt8(ascii: ".") {
            bytes.removeFirst()
            if digits() == 0 { return false }
        }
        if bytes.first == UInt8(ascii: "e") || bytes.first == UInt8(ascii: "E") {
            bytes.removeFirst()
            if bytes.first == UInt8(ascii: "+") || bytes.first == UInt8(ascii: "-") { bytes.removeFirst() }
            if digits() == 0 { return false }
        }
        return bytes.isEmpty
    }

    /// Decodes the escapes of a string's raw bytes, or `nil` if one is
    /// malformed (json-c then reports it).
    static func unescape(_ raw: [UInt8]) -> String? {
        var scalars = String.UnicodeScalarView()
        var utf8: [UInt8] = []
        var index = 0
        func flush() {
            scalars.append(contentsOf: String(decoding: utf8, as: UTF8.self).unicodeScalars)
            utf8.removeAll()
        }
        func hex4(at offset: Int) -> UInt32? {
            guard offset + 4 <= raw.count else { return nil }
            var code: UInt32 = 0
            for byte in raw[offset..<(offset + 4)] {
                guard let digit = Character(Unicode.Scalar(byte)).hexDigitValue else { return nil }
                code = code * 16 + UInt32(digit)
            }
            return code
        }
        while index < raw.count {
            let byte = raw[index]
            guard byte == UInt8(ascii: "\\") else {
                utf8.append(byte)
                index += 1
                continue
            }
            guard index + 1 < raw.count else { return nil }
            let escape = raw[index + 1]
            index += 2
            switch escape {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(escape)
            case UInt8(ascii: "b"): utf8.append(0x08)
            case UInt8(ascii: "f"): utf8.append(0x0C)
            case UInt8(ascii: "n"): utf8.append(0x0A)
            case UInt8(ascii: "r"): utf8.append(0x0D)
            case UInt8(ascii: "t"): utf8.append(0x09)
            case UInt8(ascii: "u"):
                guard var code = hex4(at: index) else { return nil }
                index += 4
                if (0xD800..<0xDC00).contains(code), index + 6 <= raw.count,
                    raw[index] == UInt8(ascii: "\\"), raw[index + 1] == UInt8(ascii: "u"),
                    let low = hex4(at: index + 2), (0xDC00..<0xE000).contains(low)
                {
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    index += 6
                }
                flush()
                scalars.append(Unicode.Scalar(code) ?? "\u{FFFD}")
            default:
                return nil
            }
        }
        flush()
        return String(scalars)
    }
}
