import type { Page } from '@playwright/test'
import { expect } from '@playwright/test'

/** "New session" opens a dialog asking where the session works: accept what it proposes. */
export async function createInDialog(page: Page): Promise<void> {
  const dialog = page.getByRole('dialog', { name: 'New session' })
  await expect(dialog).toBeVisible()
  await dialog.getByRole('button', { name: 'Create session' }).click()
  await expect(dialog).toBeHidden()
}
