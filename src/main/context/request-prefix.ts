import { createHash } from 'node:crypto'
import type { ContextRecord, EntryPayload, EntryType } from '../../shared/entries'
import type { Entry } from '../../shared/model'
import type { ToolSpec } from '../providers/types'
import { findContext } from './history'
import { findInstructionFiles } from './project-instructions'
import { buildSystemPrompt, upgradeLegacySystemPrompt } from './system-prompt'
import { replaceSkillsSection } from '../skills/prompt-index'

/** What building a session's request prefix needs: its branch, where it runs, the tools offered. */
export interface PrefixSource {
  branch: () => Entry[]
  append: <T extends EntryType>(type: T, payload: EntryPayload<T>) => void
  workspaceRoot: string
  /** A worktree session's branch and base. */
  git?: { branch: string; base: string }
  os: string
  now: () => number
  /** The tools this run offers, as the provider is told them. */
  tools: ToolSpec[]
  /** The skills index as this run finds it (`skillsSection`; '' for none). */
  skills: string
}

/**
 * The session's request prefix — system prompt and tool definitions — built once and stored (a
 * `context` entry), so every request of the session sends the same bytes and a provider's prompt
 * cache keeps serving them, across restarts too. It changes only when the tools offered differ
 * from the stored ones: a new `context` entry (reason `tools_changed`) keeps the system prompt,
 * which does not depend on the tools, and replaces the tools, since the model must be told what
 * it can call. A session stored by an older Paddock, whose system prompt listed every tool's
 * description, gets the current prompt once (reason `system_changed`): that costs one request's
 * cache and then saves the listing on every request. The skills index is found again at each
 * run's start; when it differs (a skill added, removed, redescribed) the stored prompt's index is
 * replaced (reason `skills_changed`), the rest kept. A model switch or a compaction needs no
 * change: neither is in the prefix.
 */
export async function ensureRequestPrefix(
  src: PrefixSource,
  model: string,
): Promise<ContextRecord> {
  const existing = findContext(src.branch())
  if (existing) {
    const upgraded = upgradeLegacySystemPrompt(existing.system)
    const base = upgraded ?? existing.system
    const system = replaceSkillsSection(base, src.skills)
    if (system === existing.system && sameTools(existing.tools, src.tools)) return existing
    const changed: ContextRecord = {
      system,
      tools: src.tools,
      model,
      reason:
        upgraded !== null ? 'system_changed' : system !== base ? 'skills_changed' : 'tools_changed',
    }
    src.append('context', changed)
    return changed
  }
  const system = buildSystemPrompt({
    workspaceRoot: src.workspaceRoot,
    ...(src.git ? { git: src.git } : {}),
    os: src.os,
    date: new Date(src.now()).toISOString().slice(0, 10),
    instructions: await findInstructionFiles(src.workspaceRoot),
    skills: src.skills,
  })
  const context: ContextRecord = { system, tools: src.tools, model }
  src.append('context', context)
  return context
}

/** The same tool definitions, byte for byte as sent (order included). */
function sameTools(stored: ContextRecord['tools'], current: readonly ToolSpec[]): boolean {
  return JSON.stringify(stored) === JSON.stringify(current)
}

/**
 * The session's prompt-cache routing key: a hash of its id, the same across runs and restarts,
 * and nothing of the user's (no path, no prompt, not the id itself).
 */
export function sessionCacheKey(sessionId: string): string {
  return `paddock-${createHash('sha256').update(sessionId).digest('hex').slice(0, 32)}`
}
