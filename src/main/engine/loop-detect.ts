import type { ToolResultRecord } from '../../shared/entries'
import type { Logger } from '../core/logger'
import type { AssistantTurn } from '../providers/types'
import type { Settings } from '../sessions/settings'
import { readSettings } from '../sessions/settings'

/**
 * Loop detection: an agent that goes in circles, noticed within one run. Three detectors, each of
 * which a `loops.*` setting turns off:
 *
 * - identical calls: the same tool with the same arguments {@link IDENTICAL_CALLS} times in a row
 *   asks the user at once, before the call runs — unless the results of the calls before it
 *   differ (compared as {@link normaliseOutput} does): a call whose result changes is polling
 *   something that moves (`tail -n 50 server.log` while a server starts), not a circle. Its own
 *   result is not known yet, so the question comes once two results in a row were the same;
 * - a failing command: the same `bash` command that ran and failed (an error result: a non-zero exit,
 *   but not exit code 1 without output, which is how `grep -q`, `test -f` and `diff -q` answer
 *   "no") with the same output (timings aside) {@link FAILING_REPEATS} times among the run's last
 *   {@link FAILING_WINDOW_CALLS} executed calls. Only commands: a file tool that fails the same
 *   way again is either caught by the identical-calls rule or waiting for a file to appear;
 * - repeated text: the same paragraph (at least {@link MIN_PARAGRAPH_CHARS} characters, compared
 *   without case or extra whitespace) in {@link TEXT_REPEATS} consecutive answers that have text and
 *   call tools.
 *
 * The first time a failing command or repeated text is found in a run, the model is told what
 * repeats (a `correction` message after the step's tool results). Found again in the same run — the
 * same repeat still meeting its rule after that message — the user is asked, on the run's next tool
 * call that policy lets run (a refused call asks nobody: the question waits for the next one),
 * through the same approval question as identical calls. Tools that declare `polls` (reading
 * a running command) are never counted: calling them again and again is how they are used.
 */

/** Identical calls in a row that turn into a question. */
export const IDENTICAL_CALLS = 3
/** The same failure (call and output) this many times within the window is a loop. */
export const FAILING_REPEATS = 3
/** How many of the run's last executed calls (polls aside) the failing-command rule looks at. */
export const FAILING_WINDOW_CALLS = 10
/** The same paragraph in this many consecutive answers is a loop. */
export const TEXT_REPEATS = 3
/** Shorter paragraphs ("Let me check.") repeat in good runs: they are not compared. */
export const MIN_PARAGRAPH_CHARS = 60
/** Longest quote of the repeated thing in a message, in characters. */
const QUOTE_MAX_CHARS = 160

/** The `loops.*` settings: each detector is on unless set to false. */
export interface LoopSettings {
  identicalCalls?: boolean
  failingCommand?: boolean
  repeatedText?: boolean
}

/** What the agent loop tells the detector, and asks of it. */
export interface LoopWatch {
  /** A model answer was recorded (before its tool calls run). */
  onAnswer(turn: Pick<AssistantTurn, 'content' | 'toolCalls'>): void
  /** A tool result was recorded. */
  onResult(result: ToolResultRecord): void
  /** The message to send the model after this step's results, if something repeats; once. */
  takeNudge(): string | null
}

const REPEAT_PREFIX = 'The agent seems to repeat itself: '

/** One run's loop detectors. A new one per run: a repeat is counted within a run. */
export class LoopDetector implements LoopWatch {
  /** The last calls (polls aside): their signature and, once it is in, their result's key. */
  private readonly recentCalls: Array<{ id: string; signature: string; result?: string }> = []
  /** Executed calls by tool call id, as authorized: the tool and its validated input. */
  private readonly calls = new Map<string, { tool: string; input: unknown }>()
  /** The failure key of each of the last executed calls (null: it did not fail). */
  private readonly window: Array<string | null> = []
  /** Paragraphs of the last answers, by normalised text: how many answers in a row had it. */
  private chain = new Map<string, { count: number; text: string }>()
  /** Repeats the model has been told about in this run. */
  private readonly told = new Set<string>()
  private readonly nudges: string[] = []
  private question: string | null = null

  constructor(
    private readonly settings: LoopSettings = {},
    /** True for a tool that declares `polls`. */
    private readonly polls: (tool: string) => boolean = () => false,
  ) {}

  /**
   * Before a call goes through the gate: why the user must be asked because the agent repeats
   * itself (identical calls, or a repeat found again after the model was told), or null.
   * `refused`: policy refuses the call, so nobody is asked on it; a question that was due stays
   * for the next call.
   */
  beforeCall(
    callId: string,
    tool: string,
    input: unknown,
    { refused = false }: { refused?: boolean } = {},
  ): string | null {
    if (this.polls(tool)) return null
    this.calls.set(callId, { tool, input })
    let reason: string | null = null
    if (this.settings.identicalCalls !== false) {
      const signature = `${tool}\u0000${JSON.stringify(input)}`
      this.recentCalls.push({ id: callId, signature })
      if (this.recentCalls.length > IDENTICAL_CALLS) this.recentCalls.shift()
      if (
        this.recentCalls.length === IDENTICAL_CALLS &&
        this.recentCalls.every((c) => c.signature === signature) &&
        !resultsChanged(this.recentCalls.slice(0, -1))
      ) {
        reason = `${REPEAT_PREFIX}the same ${tool} call ${IDENTICAL_CALLS} times in a row.`
      }
    }
    if (refused) return null
    if (this.question) {
      reason ??= this.question
      this.question = null
    }
    return reason
  }

  onAnswer(turn: Pick<AssistantTurn, 'content' | 'toolCalls'>): void {
    // A final answer ends the run: there is no circle to break. An answer of calls alone says
    // nothing, and does not break a chain.
    if (this.settings.repeatedText === false || turn.toolCalls.length === 0) return
    const paragraphs = paragraphsOf(turn.content)
    if (paragraphs.size === 0) return
    const next = new Map<string, { count: number; text: string }>()
    for (const [key, text] of paragraphs) {
      next.set(key, { count: (this.chain.get(key)?.count ?? 0) + 1, text })
    }
    this.chain = next
    const repeated = [...next.entries()].find(([, p]) => p.count >= TEXT_REPEATS)
    if (!repeated) return
    const [key, { count, text }] = repeated
    this.found(
      `text\u0000${key}`,
      `[Paddock] Your last ${count} answers each say the same thing: "${quote(text)}". You seem ` +
        'to be going in circles. Say what you have found so far and try a different approach, or ' +
        'stop and tell the user what blocks you. If it repeats, Paddock will ask the user.',
      `${REPEAT_PREFIX}the same paragraph in ${count} answers in a row ("${quote(text)}"), even ` +
        'after Paddock told it so.',
    )
  }

  onResult(result: ToolResultRecord): void {
    const call = this.calls.get(result.toolCallId)
    this.calls.delete(result.toolCallId)
    const output = normaliseOutput(result.content)
    const recent = this.recentCalls.find((c) => c.id === result.toolCallId)
    if (recent) recent.result = `${result.isError}\u0000${output}`
    // Only calls that ran count: not a refusal, a denial, a skip or an abort.
    if (!call || result.synthetic || this.settings.failingCommand === false) return
    const command = commandOf(call.tool, call.input)
    const key =
      result.isError && command !== null && !SILENT_NO.test(output)
        ? `${command.replace(/\s+/g, ' ').trim()}\u0000${output}`
        : null
    this.window.push(key)
    if (this.window.length > FAILING_WINDOW_CALLS) this.window.shift()
    if (key === null) return
    const count = this.window.filter((k) => k === key).length
    if (count < FAILING_REPEATS) return
    const what = `\`${quote(command ?? '')}\``
    this.found(
      `fail\u0000${key}`,
      `[Paddock] ${what} has failed ${count} times among your last ${this.window.length} tool ` +
        'calls, each time with the same output. Running it again will fail the same way: read ' +
        'the error, change the code or your approach, or stop and tell the user what blocks you. ' +
        'If it repeats, Paddock will ask the user.',
      `${REPEAT_PREFIX}${what} failed with the same output ${count} times among its last ` +
        `${this.window.length} tool calls, even after Paddock told it so.`,
    )
  }

  takeNudge(): string | null {
    if (this.nudges.length === 0) return null
    return this.nudges.splice(0).join('\n\n')
  }

  /** A repeat: the first time in the run the model is told, after that the user is asked. */
  private found(key: string, nudge: string, reason: string): void {
    if (this.told.has(key)) {
      this.question ??= reason
      return
    }
    this.told.add(key)
    this.nudges.push(nudge)
  }
}

/** The paragraphs of a text worth comparing, by normalised text (lower case, spaces collapsed). */
export function paragraphsOf(content: string): Map<string, string> {
  const out = new Map<string, string>()
  for (const raw of content.split(/\n\s*\n/)) {
    const text = raw.replace(/\s+/g, ' ').trim()
    if (text.length < MIN_PARAGRAPH_CHARS) continue
    const key = text.toLowerCase()
    if (!out.has(key)) out.set(key, text)
  }
  return out
}

/**
 * A result's text as compared: the truncation note (it names a new spill file every time) reduced
 * to its first words, durations and clock times masked (test runners print them on every run:
 * vitest "Duration 1.2s" and "Start at 10:00:01", jest "Time: 1.2 s", pytest "in 0.12s", go test
 * "0.005s"), whitespace collapsed. The same failing test then compares equal run after run.
 */
export function normaliseOutput(content: string): string {
  return content
    .replace(/\[Output truncated:[^\]]*\]/g, '[Output truncated]')
    .replace(/(?<![\d:])\d{1,2}:\d{2}:\d{2}(?:[.,]\d+)?/g, '<time>')
    .replace(/\b\d+(?:\.\d+)?\s?(?:ns|us|µs|ms|s|secs?|seconds?)\b/g, '<duration>')
    .replace(/\s+/g, ' ')
    .trim()
}

/**
 * A normalised result that says only "exit code 1": how `grep -q`, `test -f`, `diff -q` and
 * `git diff --exit-code` answer "no". Not a failure to count.
 */
const SILENT_NO = /^(?:\(no output\) )?Exit code: 1$/

/** Whether the results of these calls (those already in) are not all the same. */
function resultsChanged(calls: ReadonlyArray<{ result?: string }>): boolean {
  const known = calls.flatMap((c) => (c.result === undefined ? [] : [c.result]))
  return known.some((r) => r !== known[0])
}

/** The command line of a `bash` call, or null for any other call. */
function commandOf(tool: string, input: unknown): string | null {
  const command = (input as { command?: unknown } | null)?.command
  return tool === 'bash' && typeof command === 'string' ? command : null
}

function quote(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  return flat.length > QUOTE_MAX_CHARS ? `${flat.slice(0, QUOTE_MAX_CHARS)}…` : flat
}

/** The user's `loops.*` settings; one that does not read is left at its default (on, logged). */
export function loopSettings(settings: Pick<Settings, 'read'>, logger: Logger): LoopSettings {
  return readSettings(settings, logger, {
    identicalCalls: 'loops.identicalCalls',
    failingCommand: 'loops.failingCommand',
    repeatedText: 'loops.repeatedText',
  })
}
