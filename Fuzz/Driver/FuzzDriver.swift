#if canImport(Glibc)
    import Glibc
#endif

/// The `main` every fuzz target shares: under `-DFUZZING` it hands control to libFuzzer with the
/// target's `LLVMFuzzerTestOneInput`; built plainly it replays the files given as arguments, so a
/// crash the fuzzer found can be rerun in a debugger.
public enum FuzzDriver {
    public static func run(
        input: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32, replay: ([UInt8]) -> Void
    ) -> Never {
        #if FUZZING
            var argc = CommandLine.argc
            var argv = CommandLine.unsafeArgv
            exit(runDriver(&argc, &argv, input))
        #else
            for path in CommandLine.arguments.dropFirst() {
                guard let file = fopen(path, "rb") else { continue }
                var bytes: [UInt8] = []
                var buffer = [UInt8](repeating: 0, count: 65536)
                while case let count = fread(&buffer, 1, buffer.count, file), count > 0 {
                    bytes += buffer.prefix(count)
                }
                fclose(file)
                replay(bytes)
            }
            exit(0)
        #endif
    }

    /// Converts libFuzzer's input to bytes.
    public static func bytes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> [UInt8] {
        data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    }
}

#if FUZZING
    @_silgen_name("LLVMFuzzerRunDriver")
    private func runDriver(
        _ argc: UnsafeMutablePointer<Int32>,
        _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
        _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
    ) -> Int32
#endif
