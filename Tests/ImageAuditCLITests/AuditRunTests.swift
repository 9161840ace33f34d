import Testing

@testable import imageaudit

/// How a bulk run shares its jobs between tarballs: equal shares while every worker is busy,
/// the whole of them for the last tarballs.
@Suite struct AuditRunTests {
    @Test("each of the workers' tarballs gets jobs / workers threads while there are enough left")
    func equalShares() {
        #expect(AuditRun.readerJobs(jobs: 2, workers: 2, left: 52) == 1)
        #expect(AuditRun.readerJobs(jobs: 8, workers: 4, left: 10) == 2)
        #expect(AuditRun.readerJobs(jobs: 1, workers: 1, left: 3) == 1)
    }

    @Test("the last tarballs, fewer than the workers, get the idle workers' share")
    func tail() {
        #expect(AuditRun.readerJobs(jobs: 2, workers: 2, left: 1) == 2)
        #expect(AuditRun.readerJobs(jobs: 8, workers: 8, left: 2) == 4)
        #expect(AuditRun.readerJobs(jobs: 8, workers: 8, left: 3) == 2)
        #expect(AuditRun.readerJobs(jobs: 3, workers: 2, left: 1) == 3)
    }

    @Test("never fewer than one thread")
    func atLeastOne() {
        #expect(AuditRun.readerJobs(jobs: 1, workers: 4, left: 4) == 1)
        #expect(AuditRun.readerJobs(jobs: 0, workers: 1, left: 0) == 1)
    }
}
