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
})
