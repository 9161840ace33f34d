/// What `--help` leads with: how people actually call it, then where the documentation is.
enum HelpText {
    static let examples = """
        EXAMPLES:
          docker save my-api:latest | imageaudit -
          imageaudit app.tar -o text -o sarif=app.sarif -o junit=app.xml
          imageaudit app.tar --fail-on warning --ignore missing-library
          imageaudit oci:build/layout:latest    (also dir:, docker-archive:)
          imageaudit exports/ --jobs 8 -o jsonl
          imageaudit inspect app.tar
          imageaudit tree app.tar /usr/local/bin/app
        """

    static let documentation = """
        Documentation: docs/options.md (every option, IMAGEAUDIT_* variables, .imageaudit.yaml), \
        docs/ci.md (GitHub, GitLab, Jenkins), docs/exit-codes.md, docs/findings.md.
        """
}
