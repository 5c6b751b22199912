// Types of fuses.mjs, for the tests.
export interface FuseRule {
  name: string
  enabled: boolean
  why: string
}
export const FUSES: FuseRule[]
export function fuseConfig(options?: {
  resetAdHocDarwinSignature?: boolean
}): Record<string, unknown>
export function electronBinaryPath(target: {
  appOutDir: string
  platform: string
  productFilename: string
  executableName?: string
}): string
export function wrongFuses(
  binaryPath: string,
): Promise<Array<{ name: string; want: boolean; found: number | undefined }>>
export function flipAndVerifyFuses(
  binaryPath: string,
  options?: { resetAdHocDarwinSignature?: boolean },
): Promise<void>
