import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { nodeCheckpointFs } from '../../src/main/checkpoints'
import { MODE_FILE } from '../../src/main/checkpoints/git/git-object'
import { ObjectStore } from '../../src/main/checkpoints/git/object-store'
import { applyRestore } from '../../src/main/checkpoints/store/restore'
import { tempDir } from '../support/temp'

let tmp: { path: string; cleanup: () => void }
beforeEach(() => {
  tmp = tempDir('paddock-restore-secrets-')
})
afterEach(() => tmp.cleanup())

describe('a restore from a store that holds a secret file', () => {
  it('puts back ordinary files but never writes or deletes the secret one', async () => {
    const root = join(tmp.path, 'project')
    const gitdir = join(tmp.path, 'store')
    mkdirSync(root)
    mkdirSync(join(gitdir, 'objects'), { recursive: true })
    // Blobs as a store written before secrets were kept out could hold them.
    const objects = new ObjectStore(nodeCheckpointFs, gitdir)
    const oldEnv = await objects.write('blob', Buffer.from('KEY=old\n'))
    const app = await objects.write('blob', Buffer.from('console.log(1)\n'))
    writeFileSync(join(root, '.env'), 'KEY=current\n')
    writeFileSync(join(root, 'id_rsa'), 'current key\n')

    const out = await applyRestore({
      fs: nodeCheckpointFs,
      root,
      objects,
      scope: null,
      changes: [
        { path: '.env', old: null, new: { mode: MODE_FILE, oid: oldEnv } },
        { path: 'id_rsa', old: { mode: MODE_FILE, oid: app }, new: null },
        { path: 'app.js', old: null, new: { mode: MODE_FILE, oid: app } },
      ],
    })
    expect(out.written).toEqual(['app.js'])
    expect(out.deleted).toEqual([])
    expect(out.skipped.map((s) => s.path).sort()).toEqual(['.env', 'id_rsa'])
    expect(out.skipped[0]!.reason).toMatch(/secrets/)
    expect(readFileSync(join(root, '.env'), 'utf8')).toBe('KEY=current\n')
    expect(readFileSync(join(root, 'id_rsa'), 'utf8')).toBe('current key\n')
    expect(readFileSync(join(root, 'app.js'), 'utf8')).toBe('console.log(1)\n')
  })
})
