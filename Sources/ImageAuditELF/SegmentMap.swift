/// Maps virtual addresses (what `PT_DYNAMIC` entries hold) to file offsets through the `PT_LOAD`
/// segments, the way the loader sees the file once mapped. Works without section headers.
struct SegmentMap: Sendable {
    private let loads: [ProgramHeader]

    init(_ programHeaders: [ProgramHeader]) {
        loads = programHeaders.filter(\.isLoad)
    }

    /// The file offset of `address`, when `length` bytes from there lie in the file part of one
    /// `PT_LOAD` segment.
    func fileOffset(of address: UInt64, length: UInt64 = 1) -> Int? {
        for segment in loads where address >= segment.virtualAddress {
            let delta = address - segment.virtualAddress
            guard delta < segment.fileSize, length <= segment.fileSize - delta else { continue }
            let (offset, overflow) = segment.offset.addingReportingOverflow(delta)
            guard !overflow, let result = Int(exactly: offset), Int(exactly: length) != nil else { return nil }
            return result
        }
        return nil
    }
}
