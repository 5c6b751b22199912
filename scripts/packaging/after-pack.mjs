// electron-builder's afterPack hook (electron-builder.yml): runs once per platform and arch, after
// the app is packed and before it is signed. It flips the fuses (fuses.mjs) and checks the packed
// app's native parts (check-packed.mjs); any problem fails the build with what to fix.
import { electronBinaryPath, flipAndVerifyFuses } from './fuses.mjs'
import { checkPackedApp, resourcesDir } from './check-packed.mjs'

/** electron-builder's `Arch` enum (builder-util) to Node's `process.arch` names. */
const ARCH_NAMES = { 0: 'ia32', 1: 'x64', 2: 'arm', 3: 'arm64', 4: 'universal' }

/** What the hook needs from electron-builder's `AfterPackContext`, in plain values. */
export function packTarget(context) {
  const arch = ARCH_NAMES[context.arch]
  if (!arch) throw new Error(`Unknown architecture ${context.arch} in electron-builder's context`)
  return {
    appOutDir: context.appOutDir,
    platform: context.electronPlatformName,
    arch,
    productFilename: context.packager.appInfo.productFilename,
    executableName: context.packager.executableName,
  }
}

/** The hook's work on a packed app described by `target` (see `packTarget`). */
export async function afterPackTarget(target, log = (line) => process.stdout.write(`${line}\n`)) {
  const { problems, fixed } = checkPackedApp({
    resources: resourcesDir(target),
    platform: target.platform,
    arch: target.arch,
  })
  for (const line of fixed) log(`  • after-pack: ${line}`)
  if (problems.length > 0) {
    throw new Error(
      `The packed app (${target.platform}-${target.arch}) is not complete:\n` +
        problems.map((p) => `  - ${p}`).join('\n'),
    )
  }
  const binary = electronBinaryPath(target)
  await flipAndVerifyFuses(binary, {
    // An arm64 mac binary must carry a valid signature to start; flipping breaks the one it has.
    resetAdHocDarwinSignature: target.platform === 'darwin' && target.arch === 'arm64',
  })
  log(`  • after-pack: fuses flipped and checked in ${binary}`)
}

export default async function afterPack(context) {
  await afterPackTarget(packTarget(context))
}
