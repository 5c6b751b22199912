import { mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from '@playwright/test'

/** Where the screenshots to look at go (not the docs' own). */
export const SHOTS_DIR = process.env.PADDOCK_SHOTS_DIR ?? join(tmpdir(), 'paddock-shots')

/** The page at 1440×900, then at 1280×720 (it stays at that size), into SHOTS_DIR. */
export async function shootBoth(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS_DIR, { recursive: true })
  for (const [width, height] of [
    [1440, 900],
    [1280, 720],
  ] as const) {
    await page.setViewportSize({ width, height })
    await page.screenshot({ path: join(SHOTS_DIR, `${name}-${width}x${height}.png`) })
  }
}
