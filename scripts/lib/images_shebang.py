"""TestImages, shebang family.

Scripts: #! lines (nested, with an argument, CRLF, env), a missing interpreter, and a
script without any #! line.
"""

from images_base import MARK, binary, config, busybox_base, app, image


@image("nested-shebang", "oci", "pass",
       "a script whose interpreter is a script whose interpreter is a static ELF (the kernel "
       "allows nesting)")
def _():
    l = (app("COPY wrapper entry", "plain")
         .copy("bin/hello", binary("hello-static"))
         .file("usr/local/bin/wrapper", "#!/bin/hello\n", 0o755)
         .file("entry.sh", "#!/usr/local/bin/wrapper\nexit 0\n", 0o755))
    return [l], config(entrypoint=["/entry.sh"])


@image("shebang-interpreter-arg", "docker", "pass",
       "#!/bin/hello --verbose: the interpreter path ends at the first space, the rest is one "
       "argument")
def _():
    l = (app("COPY hello entry.sh")
         .copy("bin/hello", binary("hello-static"))
         .file("entry.sh", "#!/bin/hello --verbose\nexit 0\n", 0o755))
    return [l], config(entrypoint=["/entry.sh"])


@image("script-without-shebang", "oci", "fail:exec-format-error",
       "an executable shell script with no #! line: the kernel says ENOEXEC and runc does not "
       "fall back to a shell")
def _():
    l = app("COPY entrypoint.sh", "plain").file("entrypoint.sh", f"echo {MARK}\n", 0o755)
    return [l], config(entrypoint=["/entrypoint.sh"])


@image("shebang-missing-bash", "oci", "fail:missing-shebang-interpreter",
       "#!/bin/bash script on busybox (which has sh, not bash)")
def _():
    l = app("COPY entrypoint.sh", "gzip").file(
        "docker-entrypoint.sh", f"#!/bin/bash\nset -e\necho {MARK}\n", 0o755)
    return [busybox_base("zstd"), l], config(entrypoint=["/docker-entrypoint.sh"])


@image("shebang-crlf", "oci", "fail:missing-shebang-interpreter",
       "#!/bin/sh script saved with CRLF line endings: the kernel looks for \"/bin/sh\\r\"")
def _():
    l = app("COPY entrypoint.sh", "gzip").file(
        "entrypoint.sh", f"#!/bin/sh\r\necho {MARK}\r\n", 0o755)
    return [busybox_base("zstd"), l], config(entrypoint=["/entrypoint.sh"])


@image("shebang-env-python3", "oci", "fail:missing-shebang-interpreter",
       "#!/usr/bin/env python3 on busybox without python3: env starts, finds no python3 on "
       "PATH and exits 127")
def _():
    l = app("COPY main.py", "gzip").file(
        "app/main.py", f"#!/usr/bin/env python3\nprint('{MARK}')\n", 0o755)
    return [busybox_base("zstd"), l], config(entrypoint=["/app/main.py"], workdir="/app")


@image("nested-shebang-missing", "docker", "fail:missing-shebang-interpreter",
       "script -> wrapper script (#!/usr/local/bin/wrapper) whose own interpreter /bin/bash is "
       "missing")
def _():
    l = (app("COPY wrapper entry")
         .file("usr/local/bin/wrapper", "#!/bin/bash\nexec \"$@\"\n", 0o755)
         .file("entry.sh", f"#!/usr/local/bin/wrapper\necho {MARK}\n", 0o755))
    return [l], config(entrypoint=["/entry.sh"])
