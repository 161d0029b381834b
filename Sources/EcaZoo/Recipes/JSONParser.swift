import CJSONC
import Foundation

/// Reads recipe and preset files into ``JSONValue`` with json-c.
///
/// The accepted language is standard JSON (RFC 8259) plus `//` and `/* */`
/// comments. Everything else is refused with a ``RecipeError`` that points at
/// the line and column, for example:
///
///     recipes/x.json:3:14: trailing comma before ']' is not allowed
///     recipes/x.json:9:1: unexpected end of file: '{' opened at line 1, column 1 is never closed
///     recipes/x.json: file is empty
///
/// Besides syntax errors this refuses duplicate keys, `NaN` and `Infinity`,
/// integers too large to hold exactly in a `Double` (beyond 2^53), invalid
/// UTF-8 and nesting deeper than ``maximumDepth``. Any value is accepted at
/// the top level; callers that need an object check for one (``ConfigReader``
/// does).
///
/// ```swift
/// let recipe = try JSONParser.parse(file: "recipes/homog.json")
/// let patch = try JSONParser.parse(text: "[64, 64]", origin: "--set")
/// ```
public enum JSONParser {
    /// The deepest nesting of arrays and objects accepted. Recipes need a
    /// handful of levels; the limit keeps a malformed or hostile file from
    /// costing unbounded memory or recursion.
    public static let maximumDepth = 64

    /// Parses the file at `path`.
    /// - Parameter path: The file to read; error messages name it as given.
    /// - Throws: ``RecipeError`` if the file is missing, a directory,
    ///   unreadable, empty or not valid JSON.
    public static func parse(file path: String) throws -> JSONValue {
        try parse(bytes: readFile(path), origin: path)
    }

    /// Parses `text`.
    /// - Parameters:
    ///   - text: The JSON source.
    ///   - origin: What error messages name as the file, such as `"--set"`.
    /// - Throws: ``RecipeError`` if `text` is not valid JSON.
    public static func parse(text: String, origin: String) throws -> JSONValue {
        try parse(bytes: Array(text.utf8), origin: origin)
    }

    // MARK: - Reading

    private static func readFile(_ path: String) throws -> [UInt8] {
        var info = stat()
        guard stat(path, &info) == 0 else {
            if errno == ENOENT || errno == ENOTDIR { throw RecipeError(file: path, message: "no such file") }
            throw RecipeError(file: path, message: "cannot read (\(String(cString: strerror(errno))))")
        }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            throw RecipeError(file: path, message: "is a directory, not a recipe file")
        }
        guard let stream = fopen(path, "rb") else {
            throw RecipeError(file: path, message: "cannot read (\(String(cString: strerror(errno))))")
        }
        defer { fclose(stream) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, stream) }
            bytes.append(contentsOf: chunk[0..<count])
            if count < chunk.count { break }
        }
        if ferror(stream) != 0 {
            throw RecipeError(file: path, message: "cannot read (\(String(cString: strerror(errno))))")
        }
        return bytes
    }

    // MARK: - Parsing

    private static func parse(bytes: [UInt8], origin: String) throws -> JSONValue {
        guard !bytes.isEmpty else { throw RecipeError(file: origin, message: "file is empty") }
        // json_tokener_parse_ex takes an Int32 length, including the final NUL.
        guard bytes.count < Int(Int32.max) else {
            throw RecipeError(file: origin, message: "file is too large to be a recipe")
        }
        let lines = SourceLines(bytes)
        let scan = JSONSourceScanner.scan(bytes, lines: lines, maximumDepth: maximumDepth)

        func fail(_ issue: JSONSourceScanner.Issue) -> RecipeError {
            guard let offset = issue.offset else { return RecipeError(file: origin, message: issue.message) }
            return RecipeError(file: origin, position: lines.position(ofByte: offset), message: issue.message)
        }

        guard let tokener = json_tokener_new_ex(Int32(maximumDepth)) else {
            fatalError("json_tokener_new_ex failed: out of memory")
        }
        defer { json_tokener_free(tokener) }
        // Strict mode refuses trailing commas and trailing text, which the
        // default mode accepts; comments are already blanked by the scanner.
        json_tokener_set_flags(tokener, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8)
        var text = scan.blanked
        // Passing the NUL tells json-c the input is complete; without it a
        // truncated file is "continue" (wants more input), not an error.
        text.append(0)
        let root = text.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                json_tokener_parse_ex(tokener, chars.baseAddress, Int32(chars.count))
            }
        }
        let status = json_tokener_get_error(tokener)

        guard status == json_tokener_success else {
            var offset = min(json_tokener_get_parse_end(tokener), bytes.count)
            if status == json_tokener_error_parse_eof || status == json_tokener_continue {
                offset = JSONSourceScanner.endOfContent(bytes)
            }
            // Both found a problem: report the earlier one; at the same spot the
            // scanner's wording is the more specific.
            // An issue without an offset concerns the whole text and wins.
            if let issue = scan.issue, (issue.offset ?? 0) <= offset { throw fail(issue) }
            throw RecipeError(
                file: origin, position: lines.position(ofByte: offset),
                message: describe(status, at: offset, in: bytes))
        }
        defer { json_object_put(root) }
        if let issue = scan.issue { throw fail(issue) }
        return try convert(root, path: "", origin: origin)
    }

    /// json-c's error descriptions, reworded to say what the user should see.
    private static func describe(_ status: json_tokener_error, at offset: Int, in bytes: [UInt8]) -> String {
        switch status {
        case json_tokener_error_depth:
            return "nested deeper than \(maximumDepth) levels"
        case json_tokener_error_parse_eof, json_tokener_continue:
            return "unexpected end of file"
        case json_tokener_error_parse_null, json_tokener_error_parse_boolean:
            return "invalid word (expected true, false or null)"
        case json_tokener_error_parse_number:
            return "invalid number"
        case json_tokener_error_parse_array:
            return "expected ',' or ']' after an array element"
        case json_tokener_error_parse_object_key_name:
            return "expected a key in double quotes"
        case json_tokener_error_parse_object_key_sep:
            return "expected ':' after a key"
        case json_tokener_error_parse_object_value_sep:
            return "expected ',' or '}' after a value"
        case json_tokener_error_parse_string:
            return "invalid escape sequence in a string"
        case json_tokener_error_parse_comment:
            return "invalid comment"
        case json_tokener_error_parse_utf8_string:
            return "invalid UTF-8"
        default:
            // json_tokener_error_parse_unexpected and anything newer.
            guard offset < bytes.count else { return "unexpected end of file" }
            let byte = bytes[offset]
            if (0x21..<0x7F).contains(byte) { return "unexpected '\(Character(Unicode.Scalar(byte)))'" }
            return String(cString: json_tokener_error_desc(status))
        }
    }

    // MARK: - Conversion

    /// Copies json-c's tree into a ``JSONValue``, keeping key order.
    private static func convert(_ object: OpaquePointer?, path: String, origin: String) throws -> JSONValue {
        // json-c represents JSON null as a NULL object pointer.
        guard let object else { return .null }
        let type = json_object_get_type(object)
        switch type {
        case json_type_null:
            return .null
        case json_type_boolean:
            return .bool(json_object_get_boolean(object) != 0)
        case json_type_int:
            return .number(Double(json_object_get_int64(object)))
        case json_type_double:
            let number = json_object_get_double(object)
            // The scanner refuses these first; kept as a second line of defence.
            guard number.isFinite else {
                throw RecipeError(file: origin, path: path, message: "number is out of range")
            }
            return .number(number)
        case json_type_string:
            let length = Int(json_object_get_string_len(object))
            guard let start = json_object_get_string(object) else { return .string("") }
            let buffer = UnsafeRawBufferPointer(start: start, count: length)
            return .string(String(decoding: buffer, as: UTF8.self))
        case json_type_array:
            let count = json_object_array_length(object)
            var elements: [JSONValue] = []
            elements.reserveCapacity(count)
            for index in 0..<count {
                let element = json_object_array_get_idx(object, index)
                elements.append(try convert(element, path: "\(path)[\(index)]", origin: origin))
            }
            return .array(elements)
        case json_type_object:
            var result = JSONObject()
            // json-c's object iterator walks keys in insertion order.
            var position = json_object_iter_begin(object)
            var end = json_object_iter_end(object)
            while json_object_iter_equal(&position, &end) == 0 {
                let key = String(cString: json_object_iter_peek_name(&position))
                let childPath = path.isEmpty ? key : "\(path).\(key)"
                result[key] = try convert(json_object_iter_peek_value(&position), path: childPath, origin: origin)
                json_object_iter_next(&position)
            }
            return .object(result)
        default:
            preconditionFailure("JSONParser.convert: unknown json-c type \(type.rawValue)")
        }
    }
}
