#!/usr/bin/env bash
# Re-checks, with the real kernel and loaders, the exec rules the audit's tests encode
# (Tests/ImageAuditCheckTests, "[verified]"). Needs root (chroot), gcc, musl-gcc (musl-tools)
# and busybox-static. Prints one line per case: what happened, the exit status, the message.
# Usage: sudo scripts/verify-exec-rules.sh
set -euo pipefail
log() { printf -- '** %s\n' "$*" >&2; }
fatal() { log "$*"; exit 1; }
[[ $(id -u) -eq 0 ]] || fatal "needs root (chroot)"
for tool in gcc musl-gcc busybox; do command -v "$tool" >/dev/null || fatal "missing $tool"; done
busybox_bin=$(command -v busybox)
file "$(readlink -f "$busybox_bin")" | grep -q 'statically linked' || fatal "busybox must be static (busybox-static)"

work=$(mktemp -d)
cleanup() { rm -rf "$work"; }
trap cleanup EXIT
cd "$work"

# probe [-u UID] PATH ARGS...: execve and print the errno, like runc's exec step.
cat > probe.c <<'C'
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
int main(int argc, char **argv) {
    if (argc > 2 && strcmp(argv[1], "-u") == 0) {
        int id = atoi(argv[2]);
        if (setgid(id) || setuid(id)) { perror("setuid"); return 2; }
        argv += 2;
    }
    execv(argv[1], argv + 1);
    printf("execve: %s\n", strerror(errno));
    return 126;
}
C
gcc -static -O2 -o probe probe.c
echo 'int foo(void) { return 42; }' > foo.c
printf '#include <stdio.h>\nint foo(void);\nint main(void) { printf("foo=%%d\\n", foo()); return 0; }\n' > app.c
printf '#include <stdio.h>\n#include <string.h>\nint main(int c, char **v) { char b[16]; strcpy(b, v[0]); printf("%%s %%d\\n", b, c); return 0; }\n' > chk.c
gcc -shared -fPIC -Wl,-soname,libfoo.so.1 -o libfoo.so.1 foo.c
gcc -o app app.c -L. -l:libfoo.so.1
gcc -O2 -D_FORTIFY_SOURCE=2 -o chk chk.c
musl-gcc -shared -fPIC -Wl,-soname,libfoo.so.1 -o mlibfoo.so.1 foo.c
musl-gcc -o mapp app.c -L. -l:mlibfoo.so.1
echo 'FOO_2 { global: foo; local: *; };' > v2.map
echo 'FOO_1 { global: foo; local: *; };' > v1.map
gcc -shared -fPIC -Wl,-soname,libfoo.so.1 -Wl,--version-script=v2.map -o libfoo2.so foo.c
gcc -shared -fPIC -Wl,-soname,libfoo.so.1 -Wl,--version-script=v1.map -o libfoo1.so foo.c
gcc -o vapp app.c -L. -l:libfoo2.so

run() {  # run LABEL ROOT CMD...: one line with the exit status and what was printed
  local label=$1 root=$2; shift 2
  local out status=0
  out=$(chroot "$root" "$@" 2>&1) || status=$?
  printf '%-46s exit %-3s %s\n' "$label" "$status" "$(echo "$out" | tr '\n' '|' | sed 's/|$//')"
}

# busybox root: scripts, permissions, env.
mkdir -p bb/bin bb/usr/bin bb/app
cp probe bb/probe; cp "$busybox_bin" bb/bin/busybox; ln -s busybox bb/bin/sh; ln -s ../../bin/busybox bb/usr/bin/env
for i in 0 1 2 3 4; do printf '#!/app/s%d\n' $((i + 1)) > bb/app/s$i; done
printf '#!/bin/sh\necho reached\n' > bb/app/s5
printf '#!/bin/sh\r\necho hi\r\n' > bb/app/crlf.sh
printf 'echo hi\n' > bb/app/noshebang.sh
: > bb/app/empty
printf '#!\n' > bb/app/emptyshebang
printf '#!/bin/sh\necho ran\n' > bb/app/nox
cp "$busybox_bin" bb/app/interp-nox; chmod 644 bb/app/interp-nox
printf '#!/app/interp-nox sh\necho ran\n' > bb/app/usenox
printf '#!/app/noshebang.sh\n' > bb/app/intnoexec
printf '#!/usr/bin/env python3\n' > bb/app/py
chmod 755 bb/app/s* bb/app/crlf.sh bb/app/noshebang.sh bb/app/empty bb/app/emptyshebang bb/app/usenox bb/app/intnoexec bb/app/py
cp app bb/app/app

run "5 nested #! scripts" bb /probe /app/s1
run "6 nested #! scripts (ELOOP)" bb /probe /app/s0
run "CRLF #!/bin/sh\\r (ENOENT)" bb /probe /app/crlf.sh
run "no #! line (ENOEXEC)" bb /probe /app/noshebang.sh
run "empty file (ENOEXEC)" bb /probe /app/empty
run "#! without interpreter (ENOEXEC)" bb /probe /app/emptyshebang
run "a directory (EACCES)" bb /probe /app
chmod 644 bb/app/nox; run "root, mode 0644 (EACCES)" bb /probe /app/nox
chmod 601 bb/app/nox; run "root, mode 0601" bb /probe /app/nox
chmod 700 bb/app/nox; run "uid 1000, mode 0700 root-owned (EACCES)" bb /probe -u 1000 /app/nox
run "#! interpreter mode 0644 (EACCES)" bb /probe /app/usenox
run "#! interpreter is plain text (ENOEXEC)" bb /probe /app/intnoexec
run "busybox env, program absent" bb /probe /app/py
run "glibc binary, no glibc loader (ENOENT)" bb /probe /app/app

# glibc root: loader messages.
mkdir -p g/lib/x86_64-linux-gnu g/lib64 g/app g/usr/bin
cp /lib/x86_64-linux-gnu/libc.so.6 g/lib/x86_64-linux-gnu/; cp /lib64/ld-linux-x86-64.so.2 g/lib64/
cp app vapp probe g/app/; cp /usr/bin/env g/usr/bin/env
printf '#!/usr/bin/env python3\n' > g/app/py; chmod 755 g/app/py
run "glibc: library missing" g /app/app
cp libfoo1.so g/lib/x86_64-linux-gnu/libfoo.so.1
run "glibc: symbol version missing" g /app/vapp
run "coreutils env, program absent, C locale" g /app/py

# musl root: loader messages, glibc binary through a compat loader link.
mkdir -p m/lib m/lib64 m/app
cp "$(readlink -f /lib/ld-musl-x86_64.so.1)" m/lib/ld-musl-x86_64.so.1
cp mapp app chk probe m/app/
run "musl: library missing" m /app/mapp
run "glibc binary on musl, no compat link" m /app/probe /app/app
ln -s /lib/ld-musl-x86_64.so.1 m/lib64/ld-linux-x86-64.so.2
cp mlibfoo.so.1 m/lib/libfoo.so.1
run "glibc binary on musl via ld-linux link" m /app/app
run "glibc fortified binary on musl" m /app/chk
