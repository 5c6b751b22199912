import { spawn, spawnSync } from 'node:child_process'
import { accessSync, constants } from 'node:fs'
import { delimiter, isAbsolute, join } from 'node:path'
import { createInterface } from 'node:readline'
import { z } from 'zod'
import type { FileHits, GrepHits, GrepRequest } from './grep-common'
import { chompLine, isSecretPath } from './grep-common'
import { relativePath } from './paths'
import { IgnoreRules } from './walk'

/**
 * The `rg` executable on `env.PATH` (absolute path), or null when there is none. Checks that it
 * runs (`rg --version`), so a broken shim does not win over the built-in search.
 */
export function findRipgrep(env: Record<string, string | undefined> = process.env): string | null {
  const dirs = (env.PATH ?? '').split(delimiter).filter((d) => d !== '' && isAbsolute(d))
  for (const dir of dirs) {
    const candidate = join(dir, process.platform === 'win32' ? 'rg.exe' : 'rg')
    try {
      accessSync(candidate, constants.X_OK)
    } catch {
      continue
    }
    const probe = spawnSync(candidate, ['--version'], {
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 5000,
    })
    if (probe.status === 0 && String(probe.stdout).startsWith('ripgrep')) return candidate
  }
  return null
}

const text = z.union([
  z.object({ text: z.string() }).loose(),
  z.object({ bytes: z.string() }).loose(),
])
const lineEvent = z
  .object({
    type: z.enum(['match', 'context']),
    data: z.object({ path: text, lines: text, line_number: z.number().int().nullable() }).loose(),
  })
  .loose()

function decode(value: z.infer<typeof text>): string {
  if (typeof value.text === 'string') return value.text
  return typeof value.bytes === 'string' ? Buffer.from(value.bytes, 'base64').toString('utf8') : ''
}

/** rg could not parse the pattern (look-around, back-references): the caller falls back. */
export class RipgrepPatternError extends Error {}

/** How rg walks: the same files as the built-in walker (hidden files, .gitignore, no `.git`). */
function walkArgs(req: GrepRequest): string[] {
  const args = [
    '--no-config',
    '--hidden',
    '--no-require-git',
    '--no-ignore-global',
    '--no-ignore-dot',
  ]
  if (req.glob) args.push('--glob', req.glob.replace(/^\.\//, ''))
  return [...args, '--glob', '!.git']
}

/**
 * The files of the search whose names say they hold secrets (`rg --files`, then the same filter
 * as the results): every one, whatever its content, so the note about them reveals nothing.
 */
async function secretFilesOf(
  req: GrepRequest,
  rgPath: string,
  keepPath: (rel: string) => Promise<boolean>,
): Promise<string[]> {
  const child = spawn(rgPath, ['--files', ...walkArgs(req), '--', req.target], {
    cwd: req.root,
    env: {},
    stdio: ['ignore', 'pipe', 'ignore'],
  })
  const exited = new Promise<void>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', () => resolve())
  })
  const found: string[] = []
  try {
    for await (const line of createInterface({ input: child.stdout, crlfDelay: Infinity })) {
      if (req.signal.aborted) break
      const rel = relativePath(req.root, line)
      if (isSecretPath(rel) && (await keepPath(rel))) found.push(rel)
    }
  } finally {
    child.kill('SIGTERM')
  }
  await exited
  return found
}

/**
 * Search with ripgrep (`rg --json --sort path`), mapped onto the same hits as the built-in search.
 * rg honours .gitignore itself; its results are still passed through the same glob filter and
 * .gitignore rules as the built-in search, because an rg `--glob` re-includes ignored files.
 * Lines of files that hold secrets are dropped before they are counted. Stops rg as soon as one
 * match past the limit has been seen.
 */
export async function grepRipgrep(req: GrepRequest, rgPath: string): Promise<GrepHits> {
  const args = ['--json', ...walkArgs(req), '--sort', 'path', '--context', String(req.context)]
  if (req.ignoreCase) args.push('--ignore-case')
  args.push('--regexp', req.pattern, '--', req.target)

  const rules = new IgnoreRules(req.fs, req.root, relativePath(req.root, req.target))
  const keep = new Map<string, boolean>()
  const keepPath = async (rel: string): Promise<boolean> => {
    let k = keep.get(rel)
    if (k === undefined) {
      k = req.include(rel) && (req.targetIsFile || !(await rules.isIgnored(rel, false)))
      keep.set(rel, k)
    }
    return k
  }
  const secretFiles = await secretFilesOf(req, rgPath, keepPath)

  const child = spawn(rgPath, args, { cwd: req.root, env: {}, stdio: ['ignore', 'pipe', 'pipe'] })
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => {
    if (stderr.length < 64 * 1024) stderr += chunk.toString('utf8')
  })
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code) => resolve(code))
  })
  const onAbort = (): void => {
    child.kill('SIGTERM')
  }
  req.signal.addEventListener('abort', onAbort, { once: true })

  const files: FileHits[] = []
  const byPath = new Map<string, FileHits>()
  let total = 0
  let more = false
  try {
    const lines = createInterface({ input: child.stdout, crlfDelay: Infinity })
    for await (const line of lines) {
      if (!line.startsWith('{"type":"match"') && !line.startsWith('{"type":"context"')) continue
      const parsed = lineEvent.safeParse(JSON.parse(line))
      if (!parsed.success || parsed.data.data.line_number === null) continue
      const { data } = parsed.data
      const rel = relativePath(req.root, decode(data.path))
      if (isSecretPath(rel) || !(await keepPath(rel))) continue
      const lineNo = data.line_number as number
      const lineText = chompLine(decode(data.lines))
      let hits = byPath.get(rel)
      if (parsed.data.type === 'match') {
        if (total >= req.maxMatches) {
          more = true
          break
        }
        total++
        if (!hits) {
          hits = { path: rel, matches: [], context: new Map() }
          byPath.set(rel, hits)
          files.push(hits)
        }
        hits.matches.push({ line: lineNo, text: lineText })
      } else {
        if (!hits) {
          hits = { path: rel, matches: [], context: new Map() }
          byPath.set(rel, hits)
          files.push(hits)
        }
        hits.context.set(lineNo, lineText)
      }
    }
  } finally {
    req.signal.removeEventListener('abort', onAbort)
    child.kill('SIGTERM')
  }
  const code = await exited
  if (
    code === 2 &&
    total === 0 &&
    /regex parse error|error parsing regex|look-?around|backreference/i.test(stderr)
  ) {
    throw new RipgrepPatternError(stderr.trim())
  }
  const warnings =
    code === 2 && !more && !req.signal.aborted
      ? stderr
          .split('\n')
          .map((l) => l.trim())
          .filter((l) => l !== '')
          .slice(0, 5)
      : []
  // rg runs without --max-filesize: it searches files of any size, so none is skipped for it.
  return {
    files: files.filter((f) => f.matches.length > 0),
    more,
    warnings,
    tooLarge: [],
    secretFiles,
  }
}
