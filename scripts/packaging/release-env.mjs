// What a build may sign and notarize with, read from the environment only: no secret is ever in
// the repository or the configuration. Without them the build is unsigned, which works for local
// builds (docs/install.md says what an unsigned build asks of the user).

const APPLE_VARS = ['APPLE_ID', 'APPLE_APP_SPECIFIC_PASSWORD', 'APPLE_TEAM_ID']

const present = (env, name) => typeof env[name] === 'string' && env[name].trim() !== ''

/**
 * Whether to notarize a build for `platform` (electron-builder's platform name: darwin, mas,
 * win32, linux): `{run: true, options}` with @electron/notarize's credentials when all three Apple
 * variables are set, `{run: false, reason}` when none is or the build is not for macOS. Some but
 * not all of them set is a mistake that must not ship an app quietly un-notarized: it throws.
 */
export function notarizePlan(env, platform) {
  if (platform !== 'darwin') return { run: false, reason: `a ${platform} build is not notarized` }
  const set = APPLE_VARS.filter((name) => present(env, name))
  if (set.length === 0) {
    return {
      run: false,
      reason: `${APPLE_VARS.join(', ')} are not set: the app is not notarized`,
    }
  }
  if (set.length < APPLE_VARS.length) {
    const missing = APPLE_VARS.filter((name) => !set.includes(name))
    throw new Error(
      `Notarization needs ${APPLE_VARS.join(', ')}; ${missing.join(', ')} ` +
        `${missing.length === 1 ? 'is' : 'are'} not set. Set all three, or none for an un-notarized build.`,
    )
  }
  return {
    run: true,
    options: {
      appleId: env.APPLE_ID,
      appleIdPassword: env.APPLE_APP_SPECIFIC_PASSWORD,
      teamId: env.APPLE_TEAM_ID,
    },
  }
}

/**
 * Whether electron-builder will sign for `platform` (Node's name), and the variables to add to
 * its environment. A certificate comes from CSC_LINK (a path, https address or base64 .p12/.pfx)
 * with CSC_KEY_PASSWORD; on macOS CSC_NAME may name one in the keychain. Without one, a macOS build
 * must not pick whatever identity the keychain holds: auto-discovery is turned off, so the build is
 * plainly unsigned (ad hoc on arm64).
 */
export function signingPlan(env, platform) {
  const link = platform === 'win32' && present(env, 'WIN_CSC_LINK') ? 'WIN_CSC_LINK' : 'CSC_LINK'
  if (present(env, link)) {
    return { signed: true, env: {}, line: `signing with the certificate in ${link}` }
  }
  if (platform === 'darwin' && present(env, 'CSC_NAME')) {
    return { signed: true, env: {}, line: 'signing with the keychain identity in CSC_NAME' }
  }
  return {
    signed: false,
    env: platform === 'darwin' ? { CSC_IDENTITY_AUTO_DISCOVERY: 'false' } : {},
    line: `unsigned build: no CSC_LINK${platform === 'darwin' ? ' or CSC_NAME' : ''} in the environment`,
  }
}
