/**
 * Resolve once `check()` is true, checking every 10 ms, or reject after `timeoutMs`. For state that
 * lives in another process (a child writing to the database, a fake server's request log), where
 * no in-process event can be awaited.
 */
export async function waitUntil(
  check: () => boolean,
  timeoutMs = 20_000,
  what = 'condition',
): Promise<void> {
  const start = Date.now()
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 10))
  }
}

/**
 * Like {@link waitUntil} for a check that must ask another process (a host call): each check is
 * awaited before the next, so none is left in flight when the wait ends.
 */
export async function waitUntilAsync(
  check: () => Promise<boolean>,
  timeoutMs = 20_000,
  what = 'condition',
): Promise<void> {
  const start = Date.now()
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 10))
  }
}
