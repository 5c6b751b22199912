/**
 * A minimal seccomp filter, as the classic-BPF program bwrap's `--seccomp FD` loads: it refuses
 * `ioctl(fd, TIOCSTI, …)` (pushing bytes into the terminal's input queue, which would let a
 * sandboxed process type commands into a shell outside) with EPERM, and allows everything else.
 * Built here rather than with libseccomp so Paddock needs no native helper.
 */

/** Architectures the filter knows (AUDIT_ARCH_* and the ioctl syscall number). */
const ARCHES = {
  x64: { audit: 0xc000003e, ioctl: 16 },
  arm64: { audit: 0xc00000b7, ioctl: 29 },
} as const

export type SeccompArch = keyof typeof ARCHES

/** The terminal ioctl that injects input. */
export const TIOCSTI = 0x5412

// Classic BPF opcodes (linux/bpf_common.h).
const BPF_LD_W_ABS = 0x20
const BPF_JMP_JEQ_K = 0x15
const BPF_RET_K = 0x06

const SECCOMP_RET_ALLOW = 0x7fff0000
const SECCOMP_RET_ERRNO = 0x00050000
const SECCOMP_RET_KILL_PROCESS = 0x80000000
const EPERM = 1

// struct seccomp_data: nr (u32) at 0, arch (u32) at 4, ip (u64) at 8, args (u64[6]) at 16.
const OFF_NR = 0
const OFF_ARCH = 4
/** The low 32 bits of args[1] (little-endian); an ioctl request is 32 bits wide. */
const OFF_ARG1_LO = 24

/** Whether the filter can be built for this architecture (`process.arch` names). */
export function seccompSupported(arch: string): arch is SeccompArch {
  return arch === 'x64' || arch === 'arm64'
}

interface Insn {
  code: number
  jt: number
  jf: number
  k: number
}

/** The filter's instructions (exported for tests that read the program back). */
export function tiocstiFilter(arch: SeccompArch): Insn[] {
  const a = ARCHES[arch]
  return [
    { code: BPF_LD_W_ABS, jt: 0, jf: 0, k: OFF_ARCH },
    // Another ABI (x32, a 32-bit personality) would have other syscall numbers: kill it.
    { code: BPF_JMP_JEQ_K, jt: 1, jf: 0, k: a.audit },
    { code: BPF_RET_K, jt: 0, jf: 0, k: SECCOMP_RET_KILL_PROCESS },
    { code: BPF_LD_W_ABS, jt: 0, jf: 0, k: OFF_NR },
    ...(arch === 'x64'
      ? // x32 syscalls share the x86_64 audit arch with bit 30 set in nr: refuse them.
        [{ code: 0x35 /* JGE K */, jt: 0, jf: 1, k: 0x40000000 }, errno()]
      : []),
    { code: BPF_JMP_JEQ_K, jt: 0, jf: 3, k: a.ioctl },
    { code: BPF_LD_W_ABS, jt: 0, jf: 0, k: OFF_ARG1_LO },
    { code: BPF_JMP_JEQ_K, jt: 0, jf: 1, k: TIOCSTI },
    errno(),
    { code: BPF_RET_K, jt: 0, jf: 0, k: SECCOMP_RET_ALLOW },
  ]
}

function errno(): Insn {
  return { code: BPF_RET_K, jt: 0, jf: 0, k: SECCOMP_RET_ERRNO | EPERM }
}

/** The program as bytes: struct sock_filter {u16 code; u8 jt; u8 jf; u32 k}, little-endian. */
export function tiocstiFilterBytes(arch: SeccompArch): Buffer {
  const insns = tiocstiFilter(arch)
  const buf = Buffer.alloc(insns.length * 8)
  insns.forEach((insn, i) => {
    buf.writeUInt16LE(insn.code, i * 8)
    buf.writeUInt8(insn.jt, i * 8 + 2)
    buf.writeUInt8(insn.jf, i * 8 + 3)
    buf.writeUInt32LE(insn.k >>> 0, i * 8 + 4)
  })
  return buf
}
