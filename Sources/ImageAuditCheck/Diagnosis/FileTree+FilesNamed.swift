import ImageAuditFS

extension FileTree {
    /// Up to three non-directories in the image with this file name, for "the image has it at …".
    func files(named name: String) -> [String] {
        let wanted = Array(name.utf8)
        var found: [String] = []
        walk { path, node in
            guard found.count < 3, self.name(of: node) == wanted, attributes(of: node).type != .directory else {
                return
            }
            found.append(PathBytes.display(path))
        }
        return found
    }
}
