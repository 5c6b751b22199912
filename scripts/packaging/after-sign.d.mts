// Types of after-sign.mjs, for the tests.
export default function afterSign(
  context: {
    appOutDir: string
    electronPlatformName: string
    packager: { appInfo: { productFilename: string } }
  },
  env?: Record<string, string | undefined>,
): Promise<void>
