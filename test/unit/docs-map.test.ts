import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { REPO_ROOT } from '../support/paths'

/**
 * docs/ARCHITECTURE.md's "Where do I…" table sends people to files: every path it names must
 * exist, so a move or rename that forgets the map fails here.
 */
const MAP = join(REPO_ROOT, 'docs', 'ARCHITECTURE.md')

/** The rows of the markdown table under the "Where do I…" heading, as [task, cell] pairs. */
export function whereDoIRows(markdown: string): Array<[string, string]> {
  const lines = markdown.split('\n')
  const start = lines.findIndex((l) => /^#+\s+Where do I/.test(l))
  if (start < 0) return []
  const rows: Array<[string, string]> = []
  let inTable = false
  for (const line of lines.slice(start + 1)) {
    if (/^#+\s/.test(line)) break
    if (!line.startsWith('|')) {
      if (inTable) break
      continue
    }
    inTable = true
    const cells = line
      .split('|')
      .slice(1, -1)
      .map((c) => c.trim())
    if (cells.length < 2 || /^-+$/.test(cells[0]!.replace(/\s/g, ''))) continue
    if (cells[0] === 'to…') continue
    rows.push([cells[0]!, cells.slice(1).join(' | ')])
  }
  return rows
}

/** Backticked text that is a repository path (has a slash; no spaces, placeholders or globs). */
export function pathsIn(cell: string): string[] {
  const out: string[] = []
  for (const m of cell.matchAll(/`([^`]+)`/g)) {
    const text = m[1]!
    if (!text.includes('/') || /[\s<>*]/.test(text)) continue
    out.push(text)
  }
  return out
}

describe('docs/ARCHITECTURE.md, "Where do I…"', () => {
  const rows = whereDoIRows(readFileSync(MAP, 'utf8'))

  it('has the rows people look for, each naming paths', () => {
    const tasks = rows.map(([task]) => task)
    for (const wanted of [
      'add a tool',
      'add a contract method',
      'add a panel',
      'add a setting',
      'add a provider',
      'find the turn loop',
      'find where context is prepared for the model',
    ]) {
      expect(tasks).toContain(wanted)
    }
    for (const [task, cell] of rows) expect(pathsIn(cell), task).not.toEqual([])
  })

  it('names only paths that exist', () => {
    const missing = rows.flatMap(([task, cell]) =>
      pathsIn(cell)
        .filter((p) => !existsSync(join(REPO_ROOT, p)))
        .map((p) => `${task}: ${p}`),
    )
    expect(missing).toEqual([])
  })

  it('parses a table and skips what is not a path', () => {
    const md = [
      '## Where do I…',
      '',
      '| to… | look at |',
      '| --- | --- |',
      '| add x | `src/a.ts` and `runIt`, `src/<domain>.ts` |',
      '',
      '## Next',
      '| other | `src/b.ts` |',
    ].join('\n')
    const parsed = whereDoIRows(md)
    expect(parsed).toEqual([['add x', '`src/a.ts` and `runIt`, `src/<domain>.ts`']])
    expect(pathsIn(parsed[0]![1])).toEqual(['src/a.ts'])
  })
})
