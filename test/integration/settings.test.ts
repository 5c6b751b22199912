import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Settings } from '../../src/main/sessions/settings'
import { openDatabase } from '../../src/main/sessions/database'
import { BIN_PADDOCK, requireBuild } from '../support/paths'
import { runNode } from '../support/spawn'
import { tempDir } from '../support/temp'

let tmp: ReturnType<typeof tempDir>
beforeAll(() => {
  tmp = tempDir()
})
afterAll(() => tmp.cleanup())

function paddock(args: string[]): ReturnType<typeof runNode> {
  return runNode([BIN_PADDOCK, ...args, '--data-dir', tmp.path])
}

describe('settings', () => {
  it('validate every value on the way in, and read back typed', () => {
    const db = openDatabase(tempDir().path)
    const s = new Settings(db)
    expect(s.set('network.requestTimeoutMs', 5000)).toBe(5000)
    expect(s.get('network.requestTimeoutMs')).toBe(5000)
    expect(() => s.set('network.requestTimeoutMs', 5)).toThrow(/network\.requestTimeoutMs: .*1000/)
    expect(() => s.set('network.proxy', 'ftp://x')).toThrow(/network\.proxy/)
    expect(() => s.set('network.caFile', 'relative.pem')).toThrow(/absolute path/)
    expect(s.network()).toEqual({ timeoutMs: 5000 })
    db.close()
  })

  it('are managed from the CLI, with clear errors for bad keys and values', async () => {
    requireBuild()
    const set = await paddock(['settings', 'set', 'spend.perSessionUsd', '0.25'])
    expect(set.status).toBe(0)
    expect(set.stdout).toBe('spend.perSessionUsd = 0.25\n')
    expect((await paddock(['settings', 'get', 'spend.perSessionUsd'])).stdout).toBe('0.25\n')
    const list = await paddock(['settings', 'list', '--json'])
    const rows = JSON.parse(list.stdout) as Array<{ key: string; value: unknown }>
    expect(rows.find((r) => r.key === 'spend.perSessionUsd')!.value).toBe(0.25)
    const bad = await paddock(['settings', 'set', 'network.proxy', 'not a url'])
    expect(bad.status).toBe(1)
    expect(bad.stderr).toMatch(/network\.proxy/)
    const unknown = await paddock(['settings', 'set', 'colour', 'blue'])
    expect(unknown.status).toBe(2)
    expect(unknown.stderr).toContain('unknown setting "colour"')
    expect((await paddock(['settings', 'unset', 'spend.perSessionUsd'])).status).toBe(0)
    expect((await paddock(['settings', 'get', 'spend.perSessionUsd'])).stdout).toBe('\n')
  })
})
