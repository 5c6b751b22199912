import type { LoginPath } from '../core/login-path'
import type { Handlers } from '../host/dispatcher'
import { runDoctor } from './checks'

/** `host.doctor`: the doctor's checks, run afresh on each call. */
export function doctorHandlers(deps: {
  dataDir: string
  env: NodeJS.ProcessEnv
  loginPath: LoginPath | null
  now: () => number
}): Pick<Handlers, 'host.doctor'> {
  return {
    'host.doctor': async () => ({
      checks: await runDoctor({
        dataDir: deps.dataDir,
        env: deps.env,
        platform: process.platform,
        loginPath: deps.loginPath,
      }),
      ranAt: new Date(deps.now()).toISOString(),
    }),
  }
}
