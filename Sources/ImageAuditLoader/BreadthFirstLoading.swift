import ImageAuditELF

/// The order both glibc and musl load in: every loaded object's `DT_NEEDED`, breadth first in
/// load order, then each `dlopen`ed path (`LoaderOptions.dlopen`) with the libraries it brings.
/// Only how one name is resolved differs between the two loaders.
protocol BreadthFirstLoading {
    var state: LoadState { get }
    var options: LoaderOptions { get }
    mutating func resolve(_ name: String, requester: Int)
}

extension BreadthFirstLoading {
    mutating func loadNeededThenOpened() {
        var index = 0
        var opened = options.dlopen[...]
        while true {
            while index < state.objects.count {
                for name in state.files[index].needed { resolve(name, requester: index) }
                index += 1
            }
            guard let path = opened.popFirst() else { break }
            resolve(path, requester: 0)
        }
    }
}
