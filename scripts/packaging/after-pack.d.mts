// Types of after-pack.mjs, for the tests.
export interface PackTarget {
  appOutDir: string
  platform: string
  arch: string
  productFilename: string
  executableName?: string
}
export function packTarget(context: {
  appOutDir: string
  electronPlatformName: string
  arch: number
  packager: { appInfo: { productFilename: string }; executableName?: string }
}): PackTarget
export function afterPackTarget(target: PackTarget, log?: (line: string) => void): Promise<void>
export default function afterPack(context: unknown): Promise<void>
