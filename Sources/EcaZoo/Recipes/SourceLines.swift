/// Maps byte offsets in a source text to the 1-based line and column an
/// editor shows, so syntax errors can point at the exact spot.
struct SourceLines {
    private let bytes: [UInt8]
    /// The byte offset at which each line starts.
    private let lineStarts: [Int]

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        var starts = [0]
        for (offset, byte) in bytes.enumerated() where byte == 0x0A { starts.append(offset + 1) }
        lineStarts = starts
    }

    /// The position of the byte at `offset` (which may equal the length, for
    /// "end of file"). Columns count characters: UTF-8 continuation bytes do
    /// not start a new column.
    func position(ofByte offset: Int) -> RecipeError.Position {
        let offset = min(max(offset, 0), bytes.count)
        // The last line start at or before the offset.
        var low = 0
        var high = lineStarts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if lineStarts[middle] <= offset { low = middle } else { high = middle - 1 }
        }
        let column = bytes[lineStarts[low]..<offset].reduce(1) { count, byte in
            (byte & 0xC0) == 0x80 ? count : count + 1
        }
        return RecipeError.Position(line: low + 1, column: column)
    }
}
