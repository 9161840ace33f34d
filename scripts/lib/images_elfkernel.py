"""TestImages, ELF files the kernel refuses or cannot run (issue 11, section 2): a shared
library as the entrypoint, separate debug-info files, truncated and patched programs, and
glibc's ld.so run as a program (which works). The .deb (zlib1g) and the compiled files
(*.debug, hello-static) come from make-test-images.sh.

Patches are made here, on copies of real compiled programs, and only to fields the kernel
reads: each image says which one and what the oracle saw.
"""

from __future__ import annotations

import os
import struct

from images_base import MULTIARCH, app, binary, config, glibc_stack, image, pkg

PAGE = 4096


def read(path):
    with open(path, "rb") as f:
        return bytearray(f.read())


def program_headers(elf):
    """(offset of the entry, p_type, p_flags, p_offset, p_filesz, p_memsz) of a 64-bit LSB file."""
    phoff, = struct.unpack_from("<Q", elf, 32)
    phentsize, phnum = struct.unpack_from("<HH", elf, 54)
    for i in range(phnum):
        at = phoff + i * phentsize
        p_type, p_flags, p_offset = struct.unpack_from("<IIQ", elf, at)
        p_filesz, p_memsz = struct.unpack_from("<QQ", elf, at + 32)
        yield at, p_type, p_flags, p_offset, p_filesz, p_memsz


def interp_header(elf):
    return next(at for at, p_type, *_ in program_headers(elf) if p_type == 3)


@image("entrypoint-shared-library", "oci", "fail:not-a-program",
       "Debian's libz.so.1 (zlib1g, made executable) as the entrypoint on a glibc base: ET_DYN, "
       "e_entry 0, no PT_INTERP, not a PIE; the kernel maps it, jumps into its ELF header: SIGSEGV")
def _():
    src = f"{pkg('bookworm-amd64-zlib1g')}/lib/{MULTIARCH}"  # the .deb's /lib, usr-merged here
    libdir = f"usr/lib/{MULTIARCH}"
    real = os.readlink(f"{src}/libz.so.1")
    layer = (app("apt-get install zlib1g && chmod +x libz", "zstd")
             .copy(f"{libdir}/{real}", f"{src}/{real}", mode=0o755)
             .symlink(f"{libdir}/libz.so.1", real))
    layers = glibc_stack("zstd") + [layer]
    return layers, config(entrypoint=[f"/{libdir}/libz.so.1"])


@image("entrypoint-ldso", "oci", "pass",
       "glibc's ld.so as the entrypoint, running a program (ld.so /usr/local/bin/hello): a shared "
       "object without PT_INTERP that is a program, its e_entry in its code")
def _():
    layers = glibc_stack("zstd")
    layers.append(app("COPY hello /usr/local/bin/hello").copy("usr/local/bin/hello", binary("hello-glibc")))
    return layers, config(entrypoint=["/lib64/ld-linux-x86-64.so.2", "/usr/local/bin/hello"])


@image("entrypoint-debug-file", "oci", "fail:not-a-program",
       "COPY of the separate debug file (objcopy --only-keep-debug) of a static program instead of "
       "the program: its code segments hold no bytes, the kernel jumps into zeros (SIGSEGV)")
def _():
    return [app("COPY hello.debug /app/hello").copy("app/hello", binary("hello-static.debug"), mode=0o755)], \
        config(entrypoint=["/app/hello"], env=())


@image("entrypoint-debug-file-dynamic", "oci", "fail:not-a-program",
       "the debug file of a dynamic (glibc) program as the entrypoint: its PT_INTERP has no bytes, "
       "execve fails with ENOEXEC before any loader is looked for")
def _():
    return [app("COPY hello.debug /app/hello").copy("app/hello", binary("hello-glibc.debug"), mode=0o755)], \
        config(entrypoint=["/app/hello"], env=())


@image("entrypoint-truncated", "oci", "fail:truncated-binary",
       "a static program cut at the page where its writable segment starts (an interrupted copy): "
       "the kernel faults clearing that segment's bss and kills it with SIGSEGV")
def _():
    elf = read(binary("hello-static"))
    rw = next(p_offset for _, p_type, flags, p_offset, *_ in program_headers(elf) if p_type == 1 and flags & 2)
    cut = bytes(elf[:rw & ~(PAGE - 1)])
    return [app("COPY hello /app/hello").file("app/hello", cut, 0o755)], config(entrypoint=["/app/hello"], env=())


@image("entrypoint-truncated-interp", "oci", "fail:truncated-binary",
       "a glibc program cut in the middle of its PT_INTERP path: the kernel's read of it comes up "
       "short, execve fails with EIO")
def _():
    elf = read(binary("hello-glibc"))
    at = interp_header(elf)
    offset, = struct.unpack_from("<Q", elf, at + 8)
    cut = bytes(elf[:offset + 4])
    return [app("COPY hello /app/hello").file("app/hello", cut, 0o755)], config(entrypoint=["/app/hello"], env=())


@image("elf-interp-empty", "oci", "fail:exec-format-error",
       "a glibc program whose PT_INTERP p_filesz was patched to 0: the kernel wants 2 to 4096 "
       "bytes (ENOEXEC)")
def _():
    elf = read(binary("hello-glibc"))
    struct.pack_into("<Q", elf, interp_header(elf) + 32, 0)
    return [app("COPY hello /app/hello").file("app/hello", bytes(elf), 0o755)], \
        config(entrypoint=["/app/hello"], env=())


@image("elf-phnum-too-big", "oci", "fail:exec-format-error",
       "a static program whose e_phnum was patched to 0xffff (PN_XNUM): more than 64 KiB of program "
       "headers, which the kernel refuses (ENOEXEC)")
def _():
    elf = read(binary("hello-static"))
    struct.pack_into("<H", elf, 56, 0xFFFF)
    return [app("COPY hello /app/hello").file("app/hello", bytes(elf), 0o755)], \
        config(entrypoint=["/app/hello"], env=())

