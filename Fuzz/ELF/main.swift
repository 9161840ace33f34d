import ImageAuditELF

#if canImport(Glibc)
    import Glibc
#endif

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
    fuzzOne(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
    return 0
}

#if FUZZING
    @_silgen_name("LLVMFuzzerRunDriver")
    func runDriver(
        _ argc: UnsafeMutablePointer<Int32>,
        _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
        _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
    ) -> Int32
    var argc = CommandLine.argc
    var argv = CommandLine.unsafeArgv
    exit(runDriver(&argc, &argv, fuzzInput))
#else
    for path in CommandLine.arguments.dropFirst() {
        guard let file = fopen(path, "rb") else { continue }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while case let count = fread(&buffer, 1, buffer.count, file), count > 0 { bytes += buffer.prefix(count) }
        fclose(file)
        fuzzOne(bytes)
    }
#endif
