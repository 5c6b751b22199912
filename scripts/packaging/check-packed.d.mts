// Types of check-packed.mjs, for the tests.
export function resourcesDir(target: {
  appOutDir: string
  platform: string
  productFilename: string
}): string
export function checkPackedApp(options: { resources: string; platform: string; arch: string }): {
  problems: string[]
  fixed: string[]
}
