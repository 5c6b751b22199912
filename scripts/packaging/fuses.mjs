// Electron's fuses: switches compiled into the binary that no setting, flag or variable can turn
// back on once flipped. Flipped after packing, before signing (scripts/packaging/after-pack.mjs).
import { join } from 'node:path'
import { FuseV1Options, FuseVersion, flipFuses, getCurrentFuseWire } from '@electron/fuses'

/**
 * What each fuse must be in a packaged Paddock, and why. The list is the policy: a fuse not named
 * here keeps Electron's default.
 */
export const FUSES = [
  {
    name: 'RunAsNode',
    enabled: false,
    why: "ELECTRON_RUN_AS_NODE would let any process (an agent's shell) run the signed app as plain Node, with its OS privacy grants",
  },
  {
    name: 'EnableNodeOptionsEnvironmentVariable',
    enabled: false,
    why: 'NODE_OPTIONS could inject code (--require) into the app',
  },
  {
    name: 'EnableNodeCliInspectArguments',
    enabled: false,
    why: '--inspect would open a debugger port into the main process',
  },
  {
    name: 'EnableEmbeddedAsarIntegrityValidation',
    enabled: true,
    why: 'app.asar is checked against the hash embedded at build time (macOS, Windows)',
  },
  {
    name: 'OnlyLoadAppFromAsar',
    enabled: true,
    why: 'the app loads only from app.asar, never from a planted app/ folder',
  },
  {
    name: 'EnableCookieEncryption',
    enabled: true,
    why: 'cookies on disk are encrypted with the OS keychain',
  },
  {
    name: 'GrantFileProtocolExtraPrivileges',
    enabled: false,
    why: 'file:// pages get no more privileges than the web (the renderer is loaded from the asar)',
  },
]

/**
 * The @electron/fuses configuration of `FUSES`. `resetAdHocDarwinSignature` re-signs an arm64 mac
 * app ad hoc after flipping: an unsigned arm64 binary whose bytes changed does not start at all.
 */
export function fuseConfig({ resetAdHocDarwinSignature = false } = {}) {
  const config = { version: FuseVersion.V1, resetAdHocDarwinSignature }
  for (const fuse of FUSES) {
    const index = FuseV1Options[fuse.name]
    if (typeof index !== 'number') throw new Error(`Unknown fuse ${fuse.name}`)
    config[index] = fuse.enabled
  }
  return config
}

/**
 * Path of the packed app's Electron binary (what @electron/fuses opens; for macOS the .app bundle,
 * whose framework binary it finds itself).
 */
export function electronBinaryPath({ appOutDir, platform, productFilename, executableName }) {
  if (platform === 'darwin' || platform === 'mas') return join(appOutDir, `${productFilename}.app`)
  if (platform === 'win32') return join(appOutDir, `${productFilename}.exe`)
  if (platform === 'linux') return join(appOutDir, executableName)
  throw new Error(`No Electron binary layout known for platform ${platform}`)
}

/** Byte values @electron/fuses writes for a fuse turned off and on. */
const DISABLE = 0x30
const ENABLE = 0x31

/**
 * The fuses of `FUSES` that the binary does not have as wanted, read back from the binary:
 * `[{name, want, found}]`, empty when all are right.
 */
export async function wrongFuses(binaryPath) {
  const wire = await getCurrentFuseWire(binaryPath)
  const wrong = []
  for (const fuse of FUSES) {
    const found = wire[FuseV1Options[fuse.name]]
    const want = fuse.enabled ? ENABLE : DISABLE
    if (found !== want) wrong.push({ name: fuse.name, want: fuse.enabled, found })
  }
  return wrong
}

/** Flip `FUSES` in the binary, then read them back; throws naming every fuse that is not right. */
export async function flipAndVerifyFuses(binaryPath, options = {}) {
  await flipFuses(binaryPath, fuseConfig(options))
  const wrong = await wrongFuses(binaryPath)
  if (wrong.length > 0) {
    const names = wrong.map((w) => `${w.name} (want ${w.want ? 'on' : 'off'})`).join(', ')
    throw new Error(`Fuses not set in ${binaryPath}: ${names}`)
  }
}
