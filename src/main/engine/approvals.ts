import { isAbsolute, relative, resolve } from 'node:path'
import type { ApprovalAnswer, ApprovalAnswerKind, ApprovalRequest } from '../../shared/entries'
import { payloadOf } from '../../shared/entries'
import { ContractError } from '../../shared/errors'
import { newId } from '../core/ids'
import { MCP_CALL, innerToolName, isMcpToolName } from '../mcp/names'
import type { Decision } from '../policy/decide'
import { decide } from '../policy/decide'
import type { Mode } from '../policy/modes'
import type { Rule } from '../policy/rules'
import type { Store } from '../sessions/store'
import type { ToolCall } from '../providers/types'
import type { LoopSettings } from './loop-detect'
import { LoopDetector } from './loop-detect'

export type Authorization =
  /** `editedContent`: the user rewrote the proposed file (edit/write) before approving it. */
  | { ok: true; editedContent?: string }
  | { ok: false; content: string; synthetic: 'refused' | 'denied' | 'interrupted'; stop?: boolean }

interface Pending {
  request: ApprovalRequest
  input: unknown
  mode: Mode
  stuck: boolean
  resolve: (answer: ApprovalAnswer) => void
}

/**
 * The permission gate of one session: decides each tool call from the policy, asks the user when
 * it must (an `approval` request entry any client can answer), and keeps the session's own rules
 * ("allow for this session"), rebuilt from the log so they survive restarts.
 */
export class Approvals {
  private readonly pending = new Map<string, Pending>()
  /** Approved edits the user rewrote first: the file text to write instead of the model's. */
  private readonly edited = new Map<string, string>()
  private readonly restored = new Map<string, ApprovalRequest>()
  private suspending = false
  private readonly sessionRules: Rule[] = []
  /** Commands the user lets run outside the sandbox for the rest of the session. */
  private readonly outsideCommands = new Set<string>()
  /** Commands let out once by an answer given after a restart, for the resumed call. */
  private readonly outsideOnce = new Set<string>()
  private loops: LoopDetector

  constructor(
    private readonly deps: {
      store: Store
      sessionId: string
      workspaceRoot: string
      /** The home folder and Paddock's data folder, which the policy protects. */
      home: string
      dataDir: string
      /** The session's spill folder, which `read` may page through in any mode. */
      spillDir?: string
      /** Folders outside the workspace `read` may read in any mode (the user's skills). */
      readRoots?: () => readonly string[]
      /** Workspace rules (empty until the workspace is trusted). */
      workspaceRules: () => Rule[]
      onWaiting: (request: ApprovalRequest) => void
      /** True for a tool that declares `polls`: never taken for a loop. */
      polls?: (tool: string) => boolean
      /** True for a tool that changes nothing (an MCP tool marked read-only): plan mode runs it. */
      readOnly?: (tool: string) => boolean
    },
  ) {
    this.loops = new LoopDetector({}, deps.polls)
    const asked = new Map<string, ApprovalRequest>()
    for (const entry of deps.store.branch(deps.sessionId)) {
      const p = payloadOf(entry, 'approval')
      if (p?.kind === 'request') asked.set(p.approvalId, p)
      if (p?.kind !== 'answer') continue
      const request = asked.get(p.approvalId)
      asked.delete(p.approvalId)
      if (p.rule && request?.sandbox) this.outsideCommands.add(p.rule.pattern)
      else if (p.rule) this.sessionRules.push({ ...p.rule, source: 'session' })
    }
    // Questions a previous process asked and nobody answered: still open, answerable here.
    for (const request of asked.values()) this.restored.set(request.approvalId, request)
  }

  /**
   * Stop waiting without withdrawing the questions: the host is shutting down, and the requests
   * stay open in the log for whoever drives the session next.
   */
  suspend(): void {
    this.suspending = true
  }

  /** A question asked before a restart, if `approvalId` is one. */
  restoredRequest(approvalId: string): ApprovalRequest | undefined {
    return this.restored.get(approvalId)
  }

  /** Record the answer to a question asked before a restart; the caller resumes the work. */
  answerRestored(approvalId: string, kind: ApprovalAnswerKind, feedback?: string): ApprovalAnswer {
    const request = this.restored.get(approvalId)
    if (!request)
      throw new ContractError('not_found', `No pending approval ${approvalId} in this session.`)
    const rule =
      kind === 'allow_session'
        ? this.sessionRuleFor({
            request,
            input: request.arguments,
            mode: request.mode ?? 'ask',
            stuck: false,
            resolve: () => {},
          })
        : undefined
    // "Run outside the sandbox" asked before a restart: the resumed call is blocked again and asks
    // again; let it out as answered here (for the session, or this once) instead.
    const command = (request.arguments as { command?: unknown } | undefined)?.command
    if (request.sandbox && typeof command === 'string') {
      if (kind === 'allow_session' && rule) this.outsideCommands.add(rule.pattern)
      else if (kind === 'allow_once') this.outsideOnce.add(command)
    } else if (rule) this.sessionRules.push({ ...rule, source: 'session' })
    const answer: ApprovalAnswer = {
      kind: 'answer',
      approvalId,
      answer: kind,
      ...(feedback ? { feedback } : {}),
      ...(rule ? { rule } : {}),
    }
    this.restored.delete(approvalId)
    this.deps.store.appendEntry(this.deps.sessionId, { type: 'approval', payload: answer })
    return answer
  }

  rules(): Rule[] {
    return [...this.deps.workspaceRules(), ...this.sessionRules]
  }

  /**
   * A new run starts: the loop detectors forget the last one. Returns this run's detectors, which
   * the loop feeds with its answers and results (`LoopWatch`).
   */
  startRun(settings: LoopSettings = {}): LoopDetector {
    this.loops = new LoopDetector(settings, this.deps.polls)
    return this.loops
  }

  decide(tool: string, input: unknown, mode: Mode): Decision {
    return decide(tool, input, {
      mode,
      workspaceRoot: this.deps.workspaceRoot,
      home: this.deps.home,
      dataDir: this.deps.dataDir,
      ...(this.deps.spillDir ? { spillDir: this.deps.spillDir } : {}),
      ...(this.deps.readRoots ? { readRoots: this.deps.readRoots() } : {}),
      rules: this.rules(),
      ...(this.deps.readOnly ? { readOnlyTool: this.deps.readOnly } : {}),
    })
  }

  async authorize(
    call: ToolCall,
    tool: string,
    input: unknown,
    mode: Mode,
    signal: AbortSignal,
  ): Promise<Authorization> {
    const decision = this.decide(tool, input, mode)
    // Why the agent looks stuck (identical calls, or a repeat it was told about), or null. A call
    // policy refuses asks nobody: a question that was due waits for the next call.
    const repeating = this.loops.beforeCall(call.id, tool, input, {
      refused: decision.action === 'deny',
    })
    const stuck = repeating !== null
    if (decision.action === 'deny') {
      return { ok: false, content: `Refused: ${decision.reason}`, synthetic: 'refused' }
    }
    if (decision.action === 'allow' && !stuck) return { ok: true }
    const request: ApprovalRequest = {
      kind: 'request',
      approvalId: newId(),
      toolCallId: call.id,
      tool,
      arguments: input,
      mode,
      reason: repeating ?? decision.reason,
      rule: decision.rule
        ? {
            tool: decision.rule.tool,
            pattern: decision.rule.pattern,
            action: decision.rule.action,
            source: decision.rule.source,
          }
        : null,
      ...(decision.subcommands
        ? {
            subcommands: decision.subcommands.map((s) => ({
              text: s.text,
              argv: s.argv,
              action: s.action,
              risky: s.risky,
              reason: s.reason,
            })),
          }
        : {}),
    }
    const answer = await this.ask(request, input, mode, stuck, signal)
    if (!answer && this.suspending) {
      return {
        ok: false,
        content: 'Interrupted: Paddock stopped while this call waited for the user’s approval.',
        synthetic: 'interrupted',
      }
    }
    if (!answer)
      return {
        ok: false,
        content: 'Aborted by the user while waiting for approval.',
        synthetic: 'denied',
      }
    const editedContent = this.edited.get(request.approvalId)
    this.edited.delete(request.approvalId)
    return authorizationFor(answer, editedContent)
  }

  /** Announce a question and wait for its answer (null: withdrawn or suspended). */
  private ask(
    request: ApprovalRequest,
    input: unknown,
    mode: Mode,
    stuck: boolean,
    signal: AbortSignal,
  ): Promise<ApprovalAnswer | null> {
    // Registered before the request is announced: a client may answer from inside the event.
    const answered = new Promise<ApprovalAnswer | null>((resolveAnswer) => {
      const onAbort = (): void => {
        const wasPending = this.pending.delete(request.approvalId)
        if (wasPending && this.suspending) {
          // Shutting down: the question stays open for the next process.
          this.restored.set(request.approvalId, request)
        } else if (wasPending) {
          this.deps.store.appendEntry(this.deps.sessionId, {
            type: 'approval',
            payload: {
              kind: 'answer',
              approvalId: request.approvalId,
              answer: 'deny',
              withdrawn: true,
            } satisfies ApprovalAnswer,
          })
        }
        resolveAnswer(null)
      }
      if (signal.aborted) return onAbort()
      signal.addEventListener('abort', onAbort, { once: true })
      this.pending.set(request.approvalId, {
        request,
        input,
        mode,
        stuck,
        resolve: (a) => {
          signal.removeEventListener('abort', onAbort)
          resolveAnswer(a)
        },
      })
    })
    this.deps.store.appendEntry(this.deps.sessionId, { type: 'approval', payload: request })
    this.deps.onWaiting(request)
    return answered
  }

  /**
   * The sandbox blocked a bash command: may it run once outside? Asked as an approval (the
   * command, and what the sandbox refused); a command the user let out for the session is not
   * asked again. False when refused, withdrawn or suspended.
   */
  async askOutside(
    toolCallId: string,
    command: string,
    blocked: { kind: 'write' | 'read' | 'network'; what: string },
    reason: string,
    mode: Mode,
    signal: AbortSignal,
  ): Promise<boolean> {
    if (this.outsideCommands.has(command)) return true
    if (this.outsideOnce.delete(command)) return true
    const request: ApprovalRequest = {
      kind: 'request',
      approvalId: newId(),
      toolCallId,
      tool: 'bash',
      arguments: { command },
      mode,
      reason,
      rule: null,
      sandbox: blocked,
    }
    const answer = await this.ask(request, { command }, mode, false, signal)
    return answer?.answer === 'allow_once' || answer?.answer === 'allow_session'
  }

  /** Answer a pending request. Returns every approval it settled (a session rule may cover others). */
  answer(
    approvalId: string,
    kind: ApprovalAnswerKind,
    feedback?: string,
    editedContent?: string,
  ): string[] {
    const p = this.pending.get(approvalId)
    if (!p)
      throw new ContractError('not_found', `No pending approval ${approvalId} in this session.`)
    if (editedContent !== undefined) {
      if (p.request.tool !== 'edit' && p.request.tool !== 'write') {
        throw new ContractError(
          'invalid_params',
          `editedContent applies to an edit or write approval; this one is a ${p.request.tool} call.`,
        )
      }
      if (kind !== 'allow_once' && kind !== 'allow_session') {
        throw new ContractError(
          'invalid_params',
          'editedContent goes with an approval, not a denial.',
        )
      }
      this.edited.set(approvalId, editedContent)
    }
    const outside = p.request.sandbox !== undefined
    const rule = kind === 'allow_session' ? this.sessionRuleFor(p) : undefined
    if (rule && outside) this.outsideCommands.add(rule.pattern)
    else if (rule) this.sessionRules.push({ ...rule, source: 'session' })
    this.settle(p, {
      kind: 'answer',
      approvalId,
      answer: kind,
      ...(feedback ? { feedback } : {}),
      ...(rule ? { rule } : {}),
    })
    const settled = [approvalId]
    if (rule && !outside) {
      for (const other of [...this.pending.values()]) {
        if (
          other.stuck ||
          this.decide(other.request.tool, other.input, other.mode).action !== 'allow'
        )
          continue
        this.settle(other, {
          kind: 'answer',
          approvalId: other.request.approvalId,
          answer: 'allow_once',
          coveredBy: approvalId,
        })
        settled.push(other.request.approvalId)
      }
    }
    return settled
  }

  pendingIds(): string[] {
    return [...this.pending.keys(), ...this.restored.keys()]
  }

  private settle(p: Pending, answer: ApprovalAnswer): void {
    this.pending.delete(p.request.approvalId)
    this.deps.store.appendEntry(this.deps.sessionId, { type: 'approval', payload: answer })
    p.resolve(answer)
  }

  /** The narrowest rule that allows this call again: the command as asked, or this file. */
  private sessionRuleFor(p: Pending): { tool: string; pattern: string; action: 'allow' } {
    const input = p.input as { command?: unknown; path?: unknown }
    if (p.request.sandbox && typeof input.command === 'string') {
      return { tool: 'bash', pattern: input.command, action: 'allow' }
    }
    // An MCP tool is allowed whole (its arguments are not paths in the workspace); through
    // `mcp_call`, the tool it names.
    const mcp = p.request.tool === MCP_CALL ? innerToolName(input) : p.request.tool
    if (mcp !== undefined && isMcpToolName(mcp)) return { tool: mcp, pattern: '*', action: 'allow' }
    if (p.request.tool === 'bash') {
      const asking =
        p.request.subcommands?.find((s) => s.action !== 'allow') ?? p.request.subcommands?.[0]
      const pattern =
        asking?.argv.join(' ') || (typeof input.command === 'string' ? input.command : '*')
      return { tool: 'bash', pattern, action: 'allow' }
    }
    if (typeof input.path === 'string') {
      const abs = isAbsolute(input.path) ? input.path : resolve(this.deps.workspaceRoot, input.path)
      return {
        tool: p.request.tool,
        pattern: relative(this.deps.workspaceRoot, abs) || '.',
        action: 'allow',
      }
    }
    return { tool: p.request.tool, pattern: '*', action: 'allow' }
  }
}

/** What the user's answer to a question lets the call do. */
export function authorizationFor(answer: ApprovalAnswer, editedContent?: string): Authorization {
  if (answer.answer === 'allow_once' || answer.answer === 'allow_session') {
    return editedContent === undefined ? { ok: true } : { ok: true, editedContent }
  }
  const feedback = answer.feedback?.trim()
  return {
    ok: false,
    synthetic: 'denied',
    content: feedback
      ? `The user denied this call and said: ${feedback}`
      : 'The user denied this call.',
    ...(answer.answer === 'deny_stop' ? { stop: true } : {}),
  }
}
