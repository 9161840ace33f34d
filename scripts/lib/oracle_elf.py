"""ELF facts for the oracle: what an ELF start that the kernel cut short was, read from the file
itself (its program and section headers), independently of imageaudit's reader. facts() runs
in the rootfs probe (oracle_helper.describe); situation() is pure (oracle_classify) and names a
row of oracle-codes.tsv. Used for execve's ENOEXEC and EIO on an ELF file and for a process
killed by a signal before it printed anything."""

from __future__ import annotations

import struct

# The image platform's native ELF machine and class (the kernel's elf_check_arch).
NATIVE = {"amd64": (62, 2), "arm64": (183, 2), "386": (3, 1), "arm": (40, 1), "ppc64le": (21, 2),
          "s390x": (22, 2), "riscv64": (243, 2)}
SHT_NOBITS = 8


def facts(path):
    """Called inside the chroot: the ELF fields the classification needs, or None."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError:
        return None
    if data[:4] != b"\x7fELF" or len(data) < 64 or data[4] not in (1, 2):
        return None
    is64, e = data[4] == 2, "<" if data[5] == 1 else ">"
    e_type, machine = struct.unpack_from(e + "HH", data, 16)
    if is64:
        phoff, shoff = struct.unpack_from(e + "QQ", data, 32)
        phentsize, phnum, shentsize, shnum, shstrndx = struct.unpack_from(e + "HHHHH", data, 54)
    else:
        phoff, shoff = struct.unpack_from(e + "II", data, 28)
        phentsize, phnum, shentsize, shnum, shstrndx = struct.unpack_from(e + "HHHHH", data, 42)
    out = {"type": e_type, "machine": machine, "class": data[4], "interp": False, "cut": False,
           "text_nobits": False}
    # The table the kernel reads (load_elf_phdrs): 1 to 64 KiB of entries of the class's size.
    out["phdrs_refused"] = not 0 < phnum * phentsize <= 65536 or phentsize != (56 if is64 else 32)
    for i in range(0 if out["phdrs_refused"] else phnum):
        at = phoff + i * phentsize
        if at + phentsize > len(data) or phentsize < (56 if is64 else 32):
            break
        if is64:
            p_type, _, p_offset, _, _, p_filesz = struct.unpack_from(e + "IIQQQQ", data, at)
        else:
            p_type, p_offset, _, _, p_filesz = struct.unpack_from(e + "IIIII", data, at)
        out["interp"] |= p_type == 3
        out["cut"] |= p_type in (1, 3) and p_filesz > 0 and p_offset + p_filesz > len(data)
    sections = []
    for i in range(shnum):
        at = shoff + i * shentsize
        if at + shentsize > len(data):
            break
        if is64:
            name, sh_type, _, _, offset, size = struct.unpack_from(e + "IIQQQQ", data, at)
        else:
            name, sh_type, _, _, offset, size = struct.unpack_from(e + "IIIIII", data, at)
        sections.append((name, sh_type, offset, size))
    if sections and shstrndx < len(sections):
        _, _, str_offset, _ = sections[shstrndx]
        for name, sh_type, _, _ in sections:
            end = data.find(b"\0", str_offset + name)
            if data[str_offset + name:end] == b".text":
                out["text_nobits"] = sh_type == SHT_NOBITS
    return out


def situation(elf, arch, errno_text=None):
    """What went wrong with an ELF start, as an oracle-codes.tsv situation: errno_text is
    execve's error ("exec format error", "input/output error"; source execve), None when the
    process was killed by a signal before it printed anything (source signal)."""
    if elf is None:
        return None
    if errno_text == "input/output error":
        return "eio-elf" if elf["cut"] else None
    if errno_text == "exec format error":
        if NATIVE.get(arch) != (elf["machine"], elf["class"]):
            return "enoexec-elf"  # another machine or class
        # A cut segment is never ENOEXEC (it is EIO or a signal).
        return "enoexec-debug-info" if elf["text_nobits"] else "enoexec-native-elf"
    if elf["cut"]:
        return "cut"
    if elf["text_nobits"]:  # a separate debug-info file (objcopy --only-keep-debug)
        return "not-a-program"
    if elf["type"] == 3 and not elf["interp"]:
        return "not-a-program"  # a shared library: no PT_INTERP, nothing to jump to
    return None
