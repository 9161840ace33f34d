import Dispatch
import Synchronization

/// A stream that can write its next block into a buffer the caller owns, so a
/// ``PipelinedStream`` hands the decompressor's output on without copying it.
public protocol BufferFillingStream: ByteStream {
    /// Writes the next bytes of the stream into `buffer` and returns how many (0 only at the end).
    func nextBlock(into buffer: UnsafeMutableRawBufferPointer) throws(ArchiveError) -> Int
}

/// Reads another stream on a thread of its own, a few blocks ahead, through a bounded ring of
/// buffers: the decompressor (and whatever hashes the blob before it) runs on one core while
/// the caller hashes the output and parses the tar on another. One big layer then no longer
/// keeps a single core busy while the other waits (docs/performance.md).
///
/// The source belongs to the producer thread from the first ``nextBlock()`` until it has ended
/// or this stream is released; `deinit` stops the producer and waits for it. Memory: `slots` ×
/// `slotSize` bytes.
public final class PipelinedStream: ByteStream {
    private let ring: Ring
    private var started = false
    /// The slot the caller holds now (handed back at the next call).
    private var held: Int?
    private var next = 0
    private var ended = false

    /// Reads `source` ahead on another thread. Nothing is read before the first ``nextBlock()``.
    public init(_ source: any ByteStream, slots: Int = 4, slotSize: Int = 256 * 1024) {
        ring = Ring(source: source, slots: max(2, slots), slotSize: max(512, slotSize))
    }

    deinit {
        guard started else { return }
        ring.cancelled.store(true, ordering: .sequentiallyConsistent)
        // Wake a producer waiting for a free slot, then wait until it lets go of the source.
        // One signal more than slots: libdispatch traps when a semaphore is freed below its
        // initial value.
        for _ in 0...ring.slots.count { ring.free.signal() }
        ring.done.wait()
    }

    public func nextBlock() throws(ArchiveError) -> UnsafeRawBufferPointer {
        if !started {
            started = true
            let ring = self.ring
            DispatchQueue(label: "imageaudit.pipeline").async { ring.produce() }
        }
        if held != nil {
            held = nil
            ring.free.signal()
        }
        if ended { return UnsafeRawBufferPointer(start: nil, count: 0) }
        ring.filled.wait()
        let index = next
        next = (next + 1) % ring.slots.count
        let slot = ring.slots[index]
        if let error = slot.error {
            ended = true
            throw error
        }
        held = index
        if slot.count == 0 {
            ended = true
            return UnsafeRawBufferPointer(start: nil, count: 0)
        }
        return UnsafeRawBufferPointer(rebasing: slot.buffer[0..<slot.count])
    }

    /// What both threads share. Each slot is written only by the producer between `free.wait()`
    /// and `filled.signal()`, and read only by the consumer between `filled.wait()` and
    /// `free.signal()`: the semaphores order every access.
    private final class Ring: @unchecked Sendable {
        final class Slot {
            let buffer: UnsafeMutableRawBufferPointer
            var count = 0
            var error: ArchiveError?

            init(size: Int) { buffer = .allocate(byteCount: size, alignment: 64) }
            deinit { buffer.deallocate() }
        }

        let source: any ByteStream
        let slots: [Slot]
        let free: DispatchSemaphore
        let filled = DispatchSemaphore(value: 0)
        let done = DispatchSemaphore(value: 0)
        let cancelled = Atomic<Bool>(false)

        init(source: any ByteStream, slots count: Int, slotSize: Int) {
            self.source = source
            slots = (0..<count).map { _ in Slot(size: slotSize) }
            free = DispatchSemaphore(value: count)
        }

        /// The producer's loop: fill a free slot, publish it; stop after the end, an error, or
        /// when the consumer is gone.
        func produce() {
            defer { done.signal() }
            let filling = source as? any BufferFillingStream
            var index = 0
            while true {
                free.wait()
                if cancelled.load(ordering: .sequentiallyConsistent) { return }
                let slot = slots[index]
                index = (index + 1) % slots.count
                do throws(ArchiveError) {
                    slot.count = try fill(slot.buffer, from: filling)
                } catch {
                    slot.count = 0
                    slot.error = error
                }
                let last = slot.count == 0
                filled.signal()
                if last { return }
            }
        }

        /// The next block of the source in `buffer`: written there by the source itself when it
        /// can, else copied (a block larger than a slot is cut; the rest comes next time).
        private var pending = UnsafeRawBufferPointer(start: nil, count: 0)

        private func fill(
            _ buffer: UnsafeMutableRawBufferPointer, from filling: (any BufferFillingStream)?
        ) throws(ArchiveError) -> Int {
            if let filling { return try filling.nextBlock(into: buffer) }
            while pending.isEmpty {
                pending = try source.nextBlock()
                if pending.isEmpty { return 0 }
            }
            let count = min(pending.count, buffer.count)
            buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: pending[0..<count]))
            pending = UnsafeRawBufferPointer(rebasing: pending[count...])
            return count
        }
    }
}
