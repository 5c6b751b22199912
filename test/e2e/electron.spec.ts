import { join } from 'node:path'
import { _electron as electron, expect, test } from '@playwright/test'
import { REPO_ROOT } from '../support/paths'
import { tempDir } from '../support/temp'
// @ts-expect-error -- plain ESM script without types
import { findElectronBinary } from '../../scripts/electron-binary.mjs'

const binary = (findElectronBinary as (root: string) => string | null)(REPO_ROOT)

test.describe('desktop app (Electron)', () => {
  test.skip(
    binary === null,
    'No Electron binary installed here (it downloads from outside the npm registry); this smoke test runs where one is installed.',
  )

  test('starts with a sandboxed, isolated window showing the workbench', async () => {
    const tmp = tempDir('paddock-electron-')
    const app = await electron.launch({
      executablePath: binary!,
      args: [REPO_ROOT, `--data-dir=${join(tmp.path, 'data')}`, '--no-sandbox'],
    })
    const window = await app.firstWindow()
    await expect(window.getByRole('button', { name: 'Open folder' }).first()).toBeVisible()
    // No Node in the page, and the bridge exposes the contract transport and nothing else.
    const page = await window.evaluate(() => ({
      require: typeof (globalThis as { require?: unknown }).require,
      process: typeof (globalThis as { process?: unknown }).process,
      bridge: Object.keys((globalThis as { paddockBridge?: object }).paddockBridge ?? {}).sort(),
    }))
    expect(page).toEqual({
      require: 'undefined',
      process: 'undefined',
      bridge: [
        'call',
        'chooseFolder',
        'notify',
        'onNotificationClick',
        'onUpdateNotice',
        'openExternal',
        'openLogsFolder',
        'restartToUpdate',
        'setBadge',
        'subscribe',
      ],
    })
    await app.close()
    tmp.cleanup()
  })
})
