// The decisions of `npm run dist` (scripts/dist.mjs), as functions the tests call.
import { join } from 'node:path'

/** electron-builder's flag for each platform Node names. */
const PLATFORM_FLAGS = { linux: '--linux', darwin: '--mac', win32: '--win' }
const ARCHES = ['x64', 'arm64', 'ia32', 'armv7l']

/**
 * Whether there is an Electron binary to pack, or how to get one. `binary` is what
 * `findElectronBinary` found; `download` tries Electron's own installer and returns null when it
 * worked, else why not. Returns `{ok: true}` or `{ok: false, line}`: the one line `npm run dist`
 * prints before it stops.
 */
export function electronForDist({ binary, env, download, found }) {
  if (binary) return { ok: true }
  const prefix = 'paddock dist: cannot build installers here:'
  if (env.ELECTRON_SKIP_BINARY_DOWNLOAD === '1') {
    return {
      ok: false,
      line:
        `${prefix} no Electron binary in node_modules/electron and ELECTRON_SKIP_BINARY_DOWNLOAD=1 ` +
        'forbids downloading one (installers are built on CI, see docs/install.md).',
    }
  }
  const why = download()
  if (why === null && found()) return { ok: true }
  return {
    ok: false,
    line: `${prefix} Electron's binary could not be downloaded (${why ?? 'not found after download'}).`,
  }
}

/**
 * electron-builder's arguments for a build on `platform`/`arch` (Node's names): the current
 * platform and architecture only, never published (the release workflow uploads the files), the
 * installed Electron binary reused instead of downloaded again, and the GitHub repository updates
 * come from (owner/name in GITHUB_REPOSITORY, which GitHub Actions sets) when known.
 */
export function builderArgs({ root, platform, arch, env, extra = [] }) {
  const flag = PLATFORM_FLAGS[platform]
  if (!flag) throw new Error(`Installers are not built on ${platform}`)
  if (!ARCHES.includes(arch)) throw new Error(`Installers are not built for ${arch}`)
  const args = [flag, `--${arch}`, '--publish', 'never']
  const dist = env.ELECTRON_OVERRIDE_DIST_PATH || join(root, 'node_modules', 'electron', 'dist')
  args.push(`--config.electronDist=${dist}`)
  const repo = /^([\w.-]+)\/([\w.-]+)$/.exec(env.GITHUB_REPOSITORY ?? '')
  if (repo) args.push(`--config.publish.owner=${repo[1]}`, `--config.publish.repo=${repo[2]}`)
  return [...args, ...extra]
}
