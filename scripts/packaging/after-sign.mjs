// electron-builder's afterSign hook (electron-builder.yml): notarizes a macOS app with Apple when,
// and only when, APPLE_ID, APPLE_APP_SPECIFIC_PASSWORD and APPLE_TEAM_ID are set (release-env.mjs).
import { join } from 'node:path'
import { notarizePlan } from './release-env.mjs'

export default async function afterSign(context, env = process.env) {
  const plan = notarizePlan(env, context.electronPlatformName)
  if (!plan.run) {
    process.stdout.write(`  • after-sign: ${plan.reason}\n`)
    return
  }
  const appPath = join(context.appOutDir, `${context.packager.appInfo.productFilename}.app`)
  // electron-builder's own dependency (it notarizes with it too); loaded only when used.
  const { notarize } = await import('@electron/notarize')
  process.stdout.write(`  • after-sign: notarizing ${appPath}\n`)
  await notarize({ appPath, ...plan.options })
}
