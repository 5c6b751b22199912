import type { IDisposable, IMarker } from '@xterm/xterm'
import { z } from 'zod'

/**
 * The agent's commands in its terminal. Before typing a command the host writes an anchor into the
 * stream — `ESC ] 6973 ; agent ; <handle> BEL` — at the prompt where the command appears. xterm
 * swallows the sequence; we note a marker at that line so the view can put an "agent" mark in the
 * gutter and scroll to the command later. The host's own shell-integration marks (the same OSC
 * number with a nonce) never reach clients.
 */
export const AGENT_OSC = 6973

/** Longest command handle we accept from the stream (they look like `cmd-12`). */
const MAX_HANDLE = 64

/** The handle of an anchor's OSC payload (`agent;<handle>`), or null when it is not one. */
export function parseAnchor(payload: string): string | null {
  const m = /^agent;([A-Za-z0-9_.:-]+)$/.exec(payload)
  if (!m || m[1]!.length > MAX_HANDLE) return null
  return m[1]!
}

/** The anchors' handles in a chunk of raw output, in order (an anchor split across chunks is missed). */
export function findAnchors(data: string): string[] {
  if (!data.includes(`\x1b]${AGENT_OSC};agent;`)) return []
  const out: string[] = []
  const re = new RegExp(`\\x1b\\]${AGENT_OSC};(agent;[^\\x07\\x1b]*)(?:\\x07|\\x1b\\\\)`, 'g')
  for (const m of data.matchAll(re)) {
    const handle = parseAnchor(m[1]!)
    if (handle !== null) out.push(handle)
  }
  return out
}

/** The part of an xterm `Terminal` (browser or headless) the marks need. */
export interface MarkableTerminal {
  parser: {
    registerOscHandler(ident: number, callback: (data: string) => boolean): IDisposable
  }
  registerMarker(cursorYOffset?: number): IMarker | undefined
}

export interface AgentCommandMark {
  handle: string
  marker: IMarker
}

/**
 * Follows the anchors a terminal parses. `onMark` gets each command's marker as it is placed (the
 * view decorates it). Marks whose line scrolled out of the scrollback are forgotten.
 */
export class AgentMarks implements IDisposable {
  private readonly marks = new Map<string, IMarker>()
  private readonly handler: IDisposable

  constructor(
    private readonly term: MarkableTerminal,
    private readonly onMark: (mark: AgentCommandMark) => void = () => {},
  ) {
    this.handler = term.parser.registerOscHandler(AGENT_OSC, (payload) => {
      const handle = parseAnchor(payload)
      if (handle !== null) this.place(handle)
      // Every sequence of this number is Paddock's: never let one reach the screen.
      return true
    })
  }

  /** The marker of the command with this handle, while its line is still in the buffer. */
  get(handle: string): IMarker | null {
    const marker = this.marks.get(handle)
    if (!marker || marker.isDisposed || marker.line < 0) return null
    return marker
  }

  /** The handles still marked, oldest first. */
  handles(): string[] {
    return [...this.marks.keys()].filter((h) => this.get(h) !== null)
  }

  /** Forget every mark (the screen was replaced). */
  clear(): void {
    for (const marker of this.marks.values()) marker.dispose()
    this.marks.clear()
  }

  dispose(): void {
    this.clear()
    this.handler.dispose()
  }

  private place(handle: string): void {
    const marker = this.term.registerMarker(0)
    if (!marker) return
    this.marks.get(handle)?.dispose()
    this.marks.set(handle, marker)
    marker.onDispose(() => {
      if (this.marks.get(handle) === marker) this.marks.delete(handle)
    })
    this.onMark({ handle, marker })
  }
}

/** The part of a `bash` tool result that names its command (the tool's `details.handle`). */
const BashResultSchema = z.object({
  toolCallId: z.string().min(1),
  toolName: z.literal('bash'),
  details: z.object({ handle: z.string().min(1).max(MAX_HANDLE) }).passthrough(),
})

/**
 * Which tool call typed which command, per session. A `bash` result names its command's handle:
 * that is the answer. Before the result (a command still running), the call that was running when
 * its anchor arrived is a good guess — output reaches the window batched, so a quick command's
 * anchor may come after the agent moved on, which is why a result always wins.
 */
export class CommandBook {
  private readonly running = new Map<string, string | null>()
  private readonly known = new Map<string, Map<string, string>>()
  private readonly guessed = new Map<string, Map<string, string>>()

  /** A `turn.state`: the call being run now (null between calls). */
  noteTurn(sessionId: string, toolCallId: string | null): void {
    this.running.set(sessionId, toolCallId)
  }

  /** Raw output of the session's agent terminal: its anchors probably belong to the running call. */
  noteOutput(sessionId: string, data: string): void {
    const toolCallId = this.running.get(sessionId)
    if (!toolCallId) return
    const handles = findAnchors(data)
    if (handles.length === 0) return
    bookOf(this.guessed, sessionId).set(toolCallId, handles[handles.length - 1]!)
  }

  /** A tool result's payload (any tool; only `bash` results name a command). */
  noteResult(sessionId: string, payload: unknown): void {
    const parsed = BashResultSchema.safeParse(payload)
    if (!parsed.success) return
    bookOf(this.known, sessionId).set(parsed.data.toolCallId, parsed.data.details.handle)
  }

  /** The handle of the command a tool call typed, when this window learnt it. */
  handleOf(sessionId: string, toolCallId: string): string | null {
    return (
      this.known.get(sessionId)?.get(toolCallId) ??
      this.guessed.get(sessionId)?.get(toolCallId) ??
      null
    )
  }

  forget(sessionId: string): void {
    this.running.delete(sessionId)
    this.known.delete(sessionId)
    this.guessed.delete(sessionId)
  }
}

function bookOf(books: Map<string, Map<string, string>>, sessionId: string): Map<string, string> {
  let book = books.get(sessionId)
  if (!book) books.set(sessionId, (book = new Map()))
  return book
}
