import type { InstructionFile } from './project-instructions'

export interface SystemPromptParts {
  /** The workspace root, fixed when the session's context is first built. */
  workspaceRoot: string
  /** e.g. "linux (x64)". */
  os: string
  /** YYYY-MM-DD, fixed when the session's context is first built. */
  date: string
  instructions: InstructionFile[]
}

/**
 * The one line the system prompt says about tools. Their names, descriptions and argument schemas
 * go to the provider in the request's tool definitions, where the model reads them: listing them
 * here too sent every description twice (about 4 KB of the built-in set, on every request).
 */
export const TOOLS_GUIDANCE =
  'Each tool’s description says what it does and when to use it. Paths are relative to the ' +
  'workspace root. Tool output may be truncated; follow the hint it gives to see more.'

/**
 * The system prompt, assembled from parts. It is built once per session and stored in the log
 * (a `context` entry), so every request of the session starts with the same bytes — which is what
 * provider prompt caches key on — even across restarts or edits to AGENTS.md mid-session. Nothing
 * in it changes between requests: the date and the working directory are those of the session's
 * start, and it does not depend on the tool set, so a changed tool list changes only the tool
 * definitions (see `SessionRunner.ensureContext`).
 */
export function buildSystemPrompt(p: SystemPromptParts): string {
  const sections = [
    [
      'You are a coding agent working in Paddock, on the user’s project.',
      'You read and change files and run commands with the tools you are given to do what the ' +
        'user asks.',
      'Work in small verified steps: read before you edit, run the relevant tests or commands after ' +
        'a change, and say plainly what you did and what is left. Ask when the request is ambiguous ' +
        'in a way that matters.',
    ].join('\n'),
    ['# Tools', TOOLS_GUIDANCE].join('\n'),
    [
      '# Environment',
      `Workspace (current directory): ${p.workspaceRoot}`,
      `Operating system: ${p.os}`,
      `Date: ${p.date}`,
    ].join('\n'),
  ]
  if (p.instructions.length) {
    sections.push(
      [
        '# Project instructions',
        'The project’s own instruction files, outermost first; nearer files take precedence.',
        ...p.instructions.map((f) => `## ${f.path}\n\n${f.content.trimEnd()}`),
      ].join('\n\n'),
    )
  }
  return `${sections.join('\n\n')}\n`
}
