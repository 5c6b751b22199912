import { existsSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import type { Turn } from '../support/fake-llm'
import { startFakeLlm } from '../support/fake-llm'
import { runCliIn } from '../support/cli-in-process'
import { tempDir } from '../support/temp'
import { strictChecks } from './checks'
import type { Chunker, Scenario, ScenarioResult } from './types'
import { THIRDS } from './wire'

/**
 * Runs one scenario the way a user would meet it: a fresh workspace, the fake model at the wire,
 * and `paddock run` through `runCli` (the binary's entry point) in this process. A scenario passes
 * when the run finishes (exit 0), the files are as intended, the model was asked exactly as many
 * times as the scenario scripts, and what it was told passes the scenario's checks.
 */

/** Longest a scenario may take before it counts as hung (its run is left to the fake's close). */
export const SCENARIO_TIMEOUT_MS = 60_000

/** Answers any request beyond the script: fast, not retried, and visible in the result. */
const EXTRA_REQUEST: Turn = {
  error: { status: 400, message: 'gauntlet: a model request the scenario did not script' },
}

export interface RunOptions {
  /** How the scenario's stream strings are cut (default: each in thirds). */
  chunkFor?: (s: Scenario) => Chunker
  /**
   * Every scenario against a server that refuses invalid history arguments, not only those that
   * ask for it (the default; `GAUNTLET_STRICT=0` turns it off): the history must carry the
   * arguments as executed.
   */
  strictHistory?: boolean
}

interface RunEvent {
  type?: string
  entry?: { type?: string; payload?: Record<string, unknown> }
}

/** A message on one line, cut to a readable length. */
function oneLine(text: unknown): string {
  return String(text ?? '')
    .replace(/\s*\n\s*/g, ' ⏎ ')
    .slice(0, 200)
}

/** Repair kinds and tool results from `paddock run --json`, for the report. */
function digest(stdout: string): { repairs: string[]; results: string[]; end: string } {
  const repairs: string[] = []
  const results: string[] = []
  let end = ''
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('{')) continue
    let event: RunEvent
    try {
      event = JSON.parse(line) as RunEvent
    } catch {
      continue
    }
    const entry = event.type === 'entry.appended' ? event.entry : undefined
    const payload = entry?.payload ?? {}
    if (entry?.type === 'repair' && Array.isArray(payload.notes)) {
      for (const note of payload.notes as Array<{ kind?: string }>) repairs.push(String(note.kind))
    } else if (entry?.type === 'tool_result') {
      const name = JSON.stringify(String(payload.toolName ?? ''))
      results.push(`${payload.isError ? 'ERROR ' : ''}${name}: ${oneLine(payload.content)}`)
    } else if (entry?.type === 'user_message' && payload.kind === 'correction') {
      results.push(`correction: ${oneLine(payload.text)}`)
    } else if (entry?.type === 'turn_end') {
      end = `${String(payload.reason)}${payload.message ? `: ${String(payload.message)}` : ''}`
    }
  }
  return { repairs, results, end }
}

function fileFailures(workspace: string, files: Scenario['files']): string[] {
  const failures: string[] = []
  for (const [rel, want] of Object.entries(files)) {
    const path = join(workspace, rel)
    const got = existsSync(path) ? readFileSync(path, 'utf8') : null
    if (want === null) {
      if (got !== null) failures.push(`${rel} should not exist; it holds ${JSON.stringify(got)}`)
    } else if (got === null) {
      failures.push(`${rel} is missing`)
    } else if (typeof want === 'string' ? got !== want : !want.test(got)) {
      failures.push(`${rel} is ${JSON.stringify(got)}, expected ${JSON.stringify(String(want))}`)
    }
  }
  return failures
}

function timeout(ms: number): Promise<'timeout'> {
  return new Promise((resolve) => setTimeout(() => resolve('timeout'), ms).unref())
}

export async function runScenario(s: Scenario, opts: RunOptions = {}): Promise<ScenarioResult> {
  const started = Date.now()
  const tmp = tempDir('paddock-gauntlet-')
  const workspace = realpathSync(tmp.path)
  const project = join(workspace, 'project')
  mkdirSync(project)
  for (const [rel, content] of Object.entries(s.seed ?? {})) {
    mkdirSync(dirname(join(project, rel)), { recursive: true })
    writeFileSync(join(project, rel), content)
  }
  const strict = opts.strictHistory ? { ...s.strict, historyArguments: true } : s.strict
  const fake = await startFakeLlm({ strict: strict ?? {} })
  const turns = s.turns(opts.chunkFor?.(s) ?? THIRDS)
  fake.script(...turns, EXTRA_REQUEST, EXTRA_REQUEST)
  const failures: string[] = []
  let status: number | null = null
  let stdout = ''
  let stderr = ''
  try {
    const run = runCliIn(
      join(workspace, 'data'),
      [
        'run',
        '--workspace',
        project,
        '--base-url',
        fake.baseUrl,
        '--model',
        'm',
        '--mode',
        'full-auto',
        '--max-turns',
        String(turns.length + 1),
        '--json',
        s.prompt ?? 'Please make the change.',
      ],
      { cwd: project, env: { HOME: workspace } },
    )
    // A run still going after the timeout must not surface later as an unhandled rejection.
    run.catch(() => undefined)
    const res = await Promise.race([run, timeout(SCENARIO_TIMEOUT_MS)])
    if (res === 'timeout') {
      failures.push(`no end after ${SCENARIO_TIMEOUT_MS / 1000} s`)
    } else {
      status = res.status
      stdout = res.stdout
      stderr = res.stderr
    }
    const seen = digest(stdout)
    if (status !== null && status !== 0) {
      const why = seen.end || stderr.trim().split('\n').slice(-2).join(' ')
      failures.push(`exit ${status} (${why.slice(0, 300)})`)
    }
    failures.push(...fileFailures(project, s.files))
    const requests = fake.chatRequests()
    if (requests.length !== turns.length) {
      failures.push(
        `the model was asked ${requests.length} time(s); the scenario scripts ${turns.length}`,
      )
    }
    for (const check of [...strictChecks(strict), ...(s.told ?? [])]) {
      const problem = check(requests)
      if (problem) failures.push(problem)
    }
    return {
      id: s.id,
      ok: failures.length === 0,
      failures,
      status,
      ms: Date.now() - started,
      requests: requests.length,
      turns: turns.length,
      repairs: seen.repairs,
      results: seen.results,
    }
  } finally {
    await fake.close()
    tmp.cleanup()
  }
}

/** Runs scenarios `width` at a time, in order; `onResult` sees each as it ends. */
export async function runAll(
  scenarios: readonly Scenario[],
  width: number,
  opts: RunOptions = {},
  onResult?: (r: ScenarioResult) => void,
): Promise<ScenarioResult[]> {
  const results: ScenarioResult[] = new Array(scenarios.length)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < scenarios.length) {
      const i = next++
      const s = scenarios[i]!
      let r: ScenarioResult
      try {
        r = await runScenario(s, opts)
      } catch (err) {
        const why = err instanceof Error ? err.message : String(err)
        r = {
          id: s.id,
          ok: false,
          failures: [`runner: ${why}`],
          status: null,
          ms: 0,
          requests: 0,
          turns: 0,
          repairs: [],
          results: [],
        }
      }
      results[i] = r
      onResult?.(r)
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, width) }, worker))
  return results
}
