// Types of merge-update-info.mjs, for the tests.
export interface UpdateInfo {
  version: string
  files: Array<{ url: string; sha512: string; size?: number }>
  [key: string]: unknown
}
export function mergeUpdateInfo(first: UpdateInfo, second: UpdateInfo): UpdateInfo
export function mergeMacUpdateFiles(dirs: string[], outDir: string): string[]
