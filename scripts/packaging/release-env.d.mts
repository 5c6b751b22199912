// Types of release-env.mjs, for the tests.
type Env = Record<string, string | undefined>
export function notarizePlan(
  env: Env,
  platform: string,
):
  | { run: false; reason: string }
  | { run: true; options: { appleId: string; appleIdPassword: string; teamId: string } }
export function signingPlan(
  env: Env,
  platform: string,
): { signed: boolean; env: Record<string, string>; line: string }
