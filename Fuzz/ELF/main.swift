import FuzzDriver
import ImageAuditELF

// libFuzzer target: the ELF parser on arbitrary bytes (Fuzz/README.md). Built plainly it replays
// the files given as arguments, so a crash found by the fuzzer can be rerun in a debugger.

func fuzzOne(_ bytes: [UInt8]) {
    guard let elf = try? ELFFile(parsing: bytes) else { return }
    // Touch what the audit reads: the lazily decoded parts must be as safe as the header.
    _ = elf.needed.count
    _ = elf.interpreter
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    fuzzOne(FuzzDriver.bytes(data, size))
    return 0
}

FuzzDriver.run(input: fuzzInput, replay: fuzzOne)
