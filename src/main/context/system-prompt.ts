import type { InstructionFile } from './project-instructions'

export interface SystemPromptParts {
  /** The workspace root, fixed when the session's context is first built. */
  workspaceRoot: string
  /** A worktree session's branch and the base it merges into. */
  git?: { branch: string; base: string }
  /** e.g. "linux (x64)". */
  os: string
  /** YYYY-MM-DD, fixed when the session's context is first built. */
  date: string
  instructions: InstructionFile[]
  /** The skills index section (`skillsSection`), '' or absent for none. */
  skills?: string
}

/**
 * The one line the system prompt says about tools. Their names, descriptions and argument schemas
 * go to the provider in the request's tool definitions, where the model reads them: listing them
 * here too sent every description twice (about 4 KB of the built-in set, on every request).
 */
export const TOOLS_GUIDANCE =
  'Each tool’s description says what it does and when to use it. Paths are relative to the ' +
  'workspace root. Tool output may be truncated; follow the hint it gives to see more.'

/** The prompt's opening: who the agent is and how it works. */
const INTRO = [
  'You are a coding agent working in Paddock, on the user’s project.',
  'You read and change files and run commands with the tools you are given to do what the user ' +
    'asks.',
  'Work in small verified steps: read before you edit, run the relevant tests or commands after ' +
    'a change, and say plainly what you did and what is left. Ask when the request is ambiguous ' +
    'in a way that matters.',
].join('\n')

const TOOLS_SECTION = ['# Tools', TOOLS_GUIDANCE].join('\n')

/**
 * The opening and "# Tools" section of the prompt sessions stored before tool descriptions were
 * sent once: "the tools below", a `- name: first line of its description` line per tool (none
 * spans a line), then the paths-and-truncation line. Anchored at the start, so a "# Tools" list
 * in the project's instruction files further down is never taken for it.
 */
const LEGACY_HEAD = new RegExp(
  '^You are a coding agent working in Paddock, on the user’s project\\.\n' +
    'You read and change files and run commands with the tools below to do what the user asks\\.\n' +
    '[^\n]*\n\n# Tools\n(?:- [^\n]*\n)*' +
    'Paths are relative to the workspace root\\. Tool output may be truncated; follow the hint it ' +
    'gives to see more\\.\n\n(?=# Environment\n)',
)

/**
 * A stored system prompt of the older shape (every tool's description listed, sent twice with the
 * tool definitions) brought to the current one: its opening and "# Tools" section replaced, the
 * rest — the session start's folder, date and project instructions — kept byte for byte. Null
 * when the prompt is not of that shape (current, or not Paddock's), which is then kept as it is.
 */
export function upgradeLegacySystemPrompt(system: string): string | null {
  if (!LEGACY_HEAD.test(system)) return null
  return system.replace(LEGACY_HEAD, `${INTRO}\n\n${TOOLS_SECTION}\n\n`)
}

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
    INTRO,
    TOOLS_SECTION,
    [
      '# Environment',
      `Workspace (current directory): ${p.workspaceRoot}`,
      ...(p.git
        ? [
            `Git: a worktree of its own on branch ${p.git.branch}, made from ${p.git.base}; the user merges it into ${p.git.base}. Commit on this branch; do not switch branches or touch other worktrees.`,
          ]
        : []),
      `Operating system: ${p.os}`,
      `Date: ${p.date}`,
    ].join('\n'),
  ]
  if (p.skills) sections.push(p.skills)
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
