import Testing

@testable import imageaudit

/// `--shard K/N`: parsing, the hash, and that the parts cover every key exactly once.
@Suite struct ShardTests {
    @Test("FNV-1a 64 matches the published test vectors")
    func vectors() {
        #expect(Shard.fnv1a64("") == 0xcbf2_9ce4_8422_2325)
        #expect(Shard.fnv1a64("a") == 0xaf63_dc4c_8601_ec8c)
        #expect(Shard.fnv1a64("foobar") == 0x8594_4171_f739_67e8)
    }

    @Test("K/N with 1 ≤ K ≤ N parses; anything else does not")
    func parsing() {
        #expect(Shard(parsing: "1/1") == Shard(parsing: "1/1"))
        #expect(Shard(parsing: "3/8")?.index == 3 && Shard(parsing: "3/8")?.count == 8)
        for bad in ["0/3", "4/3", "1/0", "a/b", "3", "1/2/3", "-1/2", "+1/2", " 1/2", "1/ 2", "", "/", "１/２"] {
            #expect(Shard(parsing: bad) == nil, "\(bad)")
        }
    }

    @Test("every key is in exactly one of N parts, and the parts are not lopsided")
    func partition() throws {
        let keys = (0..<2000).map { "library/image-\($0)/tag-\($0 % 7).tar" }
        for count in [1, 2, 3, 7] {
            let shards = try (1...count).map { try #require(Shard(parsing: "\($0)/\(count)")) }
            var sizes = Array(repeating: 0, count: count)
            for key in keys {
                let owners = shards.filter { $0.contains(key: key) }
                #expect(owners.count == 1, "\(key)")
                if let owner = owners.first { sizes[owner.index - 1] += 1 }
            }
            #expect(sizes.allSatisfy { $0 > keys.count / count / 2 }, "\(sizes)")
        }
    }
}
