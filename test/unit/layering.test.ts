import { ESLint } from 'eslint'
import { describe, expect, it } from 'vitest'
import { REPO_ROOT } from '../support/paths'

// The layering rules of docs/CONVENTIONS.md are enforced by lint; this proves the rules bite.
const eslint = new ESLint({ cwd: REPO_ROOT })

async function restricted(filePath: string, code: string): Promise<boolean> {
  const [result] = await eslint.lintText(code, { filePath })
  return result!.messages.some((m) => m.ruleId === 'no-restricted-imports')
}

describe('layering', () => {
  it('src/shared imports no electron, node or main-side code', async () => {
    expect(
      await restricted('src/shared/x.ts', "import { app } from 'electron'\nexport const a = app\n"),
    ).toBe(true)
    expect(
      await restricted('src/shared/x.ts', "import fs from 'node:fs'\nexport const a = fs\n"),
    ).toBe(true)
    expect(await restricted('src/shared/x.ts', "import fs from 'fs'\nexport const a = fs\n")).toBe(
      true,
    )
    expect(
      await restricted(
        'src/shared/x.ts',
        "import { Store } from '../main/sessions/store'\nexport const a = Store\n",
      ),
    ).toBe(true)
    expect(
      await restricted('src/shared/x.ts', "import { z } from 'zod'\nexport const a = z\n"),
    ).toBe(false)
  })

  it('only index.ts, desktop/ and ipc/ of src/main import electron', async () => {
    const code = "import { app } from 'electron'\nexport const a = app\n"
    expect(await restricted('src/main/host/x.ts', code)).toBe(true)
    expect(await restricted('src/main/sessions/x.ts', code)).toBe(true)
    expect(await restricted('src/main/desktop/x.ts', code)).toBe(false)
    expect(await restricted('src/main/ipc/x.ts', code)).toBe(false)
    expect(await restricted('src/main/index.ts', code)).toBe(false)
  })

  it('the renderer imports nothing from src/main, electron or node', async () => {
    expect(
      await restricted(
        'src/renderer/src/x.ts',
        "import { Store } from '../../main/sessions/store'\nexport const a = Store\n",
      ),
    ).toBe(true)
    expect(
      await restricted(
        'src/renderer/src/x.ts',
        "import { ipcRenderer } from 'electron'\nexport const a = ipcRenderer\n",
      ),
    ).toBe(true)
    expect(
      await restricted(
        'src/renderer/src/x.ts',
        "import path from 'node:path'\nexport const a = path\n",
      ),
    ).toBe(true)
  })

  it('checkpoints: one facade outside, the store behind its own, the git layer below', async () => {
    const use = (from: string): string =>
      `import { ObjectStore } from '${from}'\nexport const a = ObjectStore\n`
    // Outside the domain: only its facade.
    expect(await restricted('src/main/host/x.ts', use('../checkpoints/git/object-store'))).toBe(
      true,
    )
    expect(await restricted('src/main/review/x.ts', use('../checkpoints/store/shadow-store'))).toBe(
      true,
    )
    expect(await restricted('src/main/host/x.ts', use('../checkpoints/engine-checkpoints'))).toBe(
      true,
    )
    expect(await restricted('src/main/ipc/x.ts', use('../checkpoints/git/object-store'))).toBe(true)
    expect(await restricted('src/main/host/x.ts', use('../checkpoints'))).toBe(false)
    // The glue beside the facade: the store's facade, never the git layer or the store's files.
    expect(await restricted('src/main/checkpoints/x.ts', use('./git/object-store'))).toBe(true)
    expect(await restricted('src/main/checkpoints/x.ts', use('./store/shadow-store'))).toBe(true)
    expect(await restricted('src/main/checkpoints/x.ts', use('./store'))).toBe(false)
    // The store and the git layer itself.
    expect(await restricted('src/main/checkpoints/store/x.ts', use('../git/object-store'))).toBe(
      false,
    )
    expect(await restricted('src/main/checkpoints/git/x.ts', use('./object-store'))).toBe(false)
    // The git layer knows nothing of the store or the glue.
    expect(await restricted('src/main/checkpoints/git/x.ts', use('../store/errors'))).toBe(true)
    expect(await restricted('src/main/checkpoints/git/x.ts', use('../store'))).toBe(true)
    expect(await restricted('src/main/checkpoints/git/x.ts', use('../engine-checkpoints'))).toBe(
      true,
    )
    // Their own rules keep the engine's: no electron.
    const electron = "import { app } from 'electron'\nexport const a = app\n"
    expect(await restricted('src/main/checkpoints/x.ts', electron)).toBe(true)
    expect(await restricted('src/main/checkpoints/git/x.ts', electron)).toBe(true)
  })

  it('no domain imports the composition root; the hosts do', async () => {
    const engine = (from: string): string =>
      `import { createEngine } from '${from}'\nexport const a = createEngine\n`
    const types = "import type { Engine } from '../host/engine-types'\nexport type A = Engine\n"
    for (const domain of ['providers', 'sessions', 'engine', 'tools', 'policy', 'shells']) {
      expect(await restricted(`src/main/${domain}/x.ts`, engine('../host/engine'))).toBe(true)
      expect(await restricted(`src/main/${domain}/x.ts`, types)).toBe(true)
    }
    expect(await restricted('src/main/checkpoints/x.ts', engine('../host/engine'))).toBe(true)
    expect(await restricted('src/main/checkpoints/git/x.ts', engine('../../host/engine'))).toBe(
      true,
    )
    // A domain may use the dispatcher's Handlers type to export its handler factory.
    const handlers =
      "import type { Handlers } from '../host/dispatcher'\nexport type A = Handlers\n"
    expect(await restricted('src/main/sessions/x.ts', handlers)).toBe(false)
    for (const host of ['src/main/cli/x.ts', 'src/main/web/x.ts', 'src/main/ipc/x.ts']) {
      expect(await restricted(host, engine('../host/engine'))).toBe(false)
    }
    expect(await restricted('src/main/index.ts', engine('./host/engine'))).toBe(false)
  })

  it('contract files import only zod, their siblings and the shared schema modules', async () => {
    const file = 'src/shared/contract/x.ts'
    const imp = (from: string): string => `import * as m from '${from}'\nexport const a = m\n`
    expect(await restricted(file, imp('zod'))).toBe(false)
    expect(await restricted(file, imp('./sessions'))).toBe(false)
    expect(await restricted(file, imp('../model'))).toBe(false)
    expect(await restricted(file, imp('../entries'))).toBe(false)
    expect(await restricted(file, imp('../layout'))).toBe(false)
    expect(await restricted(file, imp('../ws-client'))).toBe(true)
    expect(await restricted(file, imp('../client'))).toBe(true)
    expect(await restricted(file, imp('../terminal-stream'))).toBe(true)
    expect(await restricted(file, imp('ws'))).toBe(true)
    expect(await restricted(file, imp('node:fs'))).toBe(true)
    expect(await restricted(file, imp('../../main/sessions/store'))).toBe(true)
  })
})
