import { SETTINGS } from '../sessions/settings'

/** One command's lines of the usage text, by its first word. */
interface CommandUsage {
  group: string
  text: string
}

const COMMANDS: CommandUsage[] = [
  {
    group: 'run',
    text: `  paddock run --workspace DIR [--session ID] [--provider ID] [--base-url URL] [--model ID]
              [--api-key-env NAME] [--mode ask|auto-edit|full-auto|plan] [--max-turns N]
              [--spend-cap USD] [--daily-cap USD] [--context-window TOKENS]
              [--fallback-model ID]... [--sandbox off|workspace-write] [--json] "prompt"`,
  },
  {
    group: 'models',
    text: `  paddock models list [--json]                      the model catalog (+ <data-dir>/models.json)
  paddock models detect [--ollama URL] [--lmstudio URL] [--json]   local model servers
  paddock models fetch --base-url URL [--api-key-env NAME] [--json] an endpoint's /models
  paddock models quirks [--model ID] [--json]       the repairs each model needed, by kind, counted
                                                    from the session logs`,
  },
  {
    group: 'settings',
    text: `  paddock settings list | get KEY | set KEY VALUE | unset KEY [--json]
${wrap(Object.keys(SETTINGS).join(', '), 20, 100)}`,
  },
  {
    group: 'providers',
    text: `  paddock providers add --name NAME (--base-url URL | --anthropic) [--preset ID]
              [--api-key-env VAR | --api-key-stdin] [--default-model MODEL] [--json]
  paddock providers list [--json]                   providers, where their keys come from (masked)
  paddock providers test NAME [--json]              list its models with its key; exit 1 unless ok
  paddock providers remove NAME                     its settings and its stored key`,
  },
  {
    group: 'mcp',
    text: `  paddock mcp add NAME [--env K=V]… [--sandboxed] -- COMMAND [ARGS…]
                                                    an MCP server run as a process (--sandboxed:
                                                    inside the agent's sandbox)
  paddock mcp add NAME --url URL [--header "K: V"]…  a remote one (header values kept as secrets)
  paddock mcp list [--workspace DIR] [--json]       state, tool count, last error (starts them)
  paddock mcp remove|enable|disable NAME            the server and its stored header values`,
  },
  {
    group: 'workspaces',
    text: `  paddock workspaces trust|untrust --workspace DIR   apply (or ignore) its .paddock/permissions.json`,
  },
  {
    group: 'sessions',
    text: `  paddock sessions list [--workspace DIR] [--json]  id, title, status, model, workspace, time
  paddock sessions create --workspace DIR [--title TITLE] [--worktree [--base REF] [--branch NAME]]
              [--json]                              in the folder itself, or with --worktree in a
                                                    new git worktree beside the repository on a
                                                    new branch (paddock/<slug of the title>) from
                                                    REF (default: the checked-out branch)
  paddock sessions delete ID [--force] [--json]     a worktree session with uncommitted work or
                                                    commits on neither its base nor a remote:
                                                    lists them and asks at a terminal; without
                                                    one, exits 1 unless --force. Its work is saved
                                                    first, restorable for 30 days
  paddock sessions deleted [--workspace DIR] [--json]
                                                    deleted sessions that can be restored
  paddock sessions restore-deleted ID [--json]      bring one back: its conversation, branch,
                                                    commits and uncommitted files`,
  },
  {
    group: 'sessions',
    text: `  paddock sessions git ID [--json]                  a worktree session's branch, base,
                                                    ahead/behind, uncommitted and changed files
  paddock sessions commit ID -m MESSAGE [--json]    commit its work (the repository's hooks run)
  paddock sessions merge ID [--squash] [-m MESSAGE] [--json]
                                                    into its base (fast-forward when possible);
                                                    a conflict is aborted and the files listed,
                                                    a base checkout with uncommitted changes in
                                                    the way refuses: both exit 1, untouched
  paddock sessions resolve ID [run options] [--json]
                                                    rebase onto the base in the worktree; on
                                                    conflicts, a run (as paddock run --session ID)
                                                    tells the agent which files and how to go on
  paddock sessions push ID [--json]                 push its branch
  paddock sessions pr ID [--title T] [--body B] [--json]
                                                    open a pull request with gh, else print the
                                                    compare URL and what to install`,
  },
  {
    group: 'worktrees',
    text: `  paddock worktrees list [--workspace DIR] [--json]
                                                    every worktree: path, branch, session, size,
                                                    last activity, whether removed by hand
  paddock worktrees prune [--workspace DIR] [--json]
                                                    forget the worktrees removed by hand`,
  },
  {
    group: 'skills',
    text: `  paddock skills list [--workspace DIR] [--json]    the skills a session in DIR finds (its
                                                    .agents/ and .paddock/skills, then ~/.agents/
                                                    and ~/.paddock/skills) and their problems`,
  },
  {
    group: 'compact',
    text: `  paddock compact --session ID [--focus TEXT] [--model REF] [--json]
                                                    summarise the session's older conversation
                                                    now (what the model is sent; the log keeps all)`,
  },
  {
    group: 'checkpoints',
    text: `  paddock checkpoints list --session ID [--json]    a session's checkpoints: ids, times, files
  paddock checkpoints diff A [B] [--json]           unified diff from checkpoint A to B (default:
                                                    the working tree); ids may be shortened`,
  },
  {
    group: 'restore',
    text: `  paddock restore CHECKPOINT [--files a,b] [--force] [--json]
                                                    put the files (all, or those) back as they
                                                    were at CHECKPOINT; a checkpoint is taken first.
                                                    Files changed outside Paddock since the latest
                                                    checkpoint: asks at a terminal; without one,
                                                    exits 4 unless --force
  paddock restore CHECKPOINT --conversation|--both  rewind the conversation to CHECKPOINT (a new
                                                    branch), with --both its files too
  paddock restore --undo --session ID               undo the session's last restore or rewind`,
  },
  {
    group: 'sessions',
    text: `  paddock sessions fork CHECKPOINT|ENTRY [--session ID] [--title T] [--json]
                                                    a new session with the history up to there`,
  },
  {
    group: 'doctor',
    text: `  paddock doctor [--json]                           check git, gh, the sandbox, a terminal, the
                                                    PATH and the data folder; each problem with its
                                                    fix; exit 1 when one fails`,
  },
]

/** Each command group and its sub-commands (none: the group is the command). */
export const SUBCOMMANDS: Record<string, readonly string[]> = {
  run: [],
  models: ['list', 'detect', 'fetch', 'quirks'],
  settings: ['list', 'get', 'set', 'unset'],
  providers: ['add', 'list', 'test', 'remove'],
  mcp: ['add', 'list', 'remove', 'enable', 'disable'],
  workspaces: ['trust', 'untrust'],
  sessions: [
    'list',
    'create',
    'fork',
    'delete',
    'deleted',
    'restore-deleted',
    'git',
    'commit',
    'merge',
    'resolve',
    'push',
    'pr',
  ],
  worktrees: ['list', 'prune'],
  skills: ['list'],
  checkpoints: ['list', 'diff'],
  restore: [],
  compact: [],
  doctor: [],
}

const RUN_NOTES = `--session ID continues that session, in its worktree when it has one: --workspace may then be
left out, or name the repository or the worktree.
Providers: openai-compatible (default; any --base-url), openai, anthropic, openrouter, deepseek,
moonshot, zai, qwen, groq, together, fireworks, xai, google, ollama, lmstudio, vllm. --model takes
a catalog id (kimi-k2, claude-sonnet-4-5, …) or the provider's own name.
--base-url, --model and --api-key-env default to $PADDOCK_BASE_URL, $PADDOCK_MODEL and
$PADDOCK_API_KEY_ENV (else the provider's usual variable). --mode defaults to ask: reads run,
edits and commands ask on the terminal (y once, a for the session, n deny, s deny and stop, or
type what to do instead); without a terminal they are denied. auto-edit also allows edits,
full-auto everything inside the workspace, plan only reads and read-only commands.
--fallback-model (up to three, tried in order) is the model the run continues on when its own is
out of quota, overloaded or not found, instead of the models.fallbacks setting: with saved
providers <provider>/<model>, with --base-url another model at that address. The session returns
to its own model after models.fallbackCooldownMinutes (default 30).
`

const COMMON = `Options for every command:
  --data-dir DIR   Paddock's data folder (default: $PADDOCK_DATA_DIR, else the app data folder)
  --help, -h       this text; after a command (or as paddock help COMMAND), that command's part
`

const EXIT_CODES = `Exit codes:
  0    ok; for run, the agent finished
  1    failed (the reason on stderr); for run, the run ended on an error; for providers test,
       the provider did not answer as it should; for sessions merge, a conflict or a refusal
       (nothing merged); for sessions delete, work would be lost (nothing deleted; --force)
  2    bad usage
  3    run: stopped at --max-turns
  4    run: interrupted (Paddock stopped during the run); restore: files changed since the last
       checkpoint by someone other than the agent would be overwritten (nothing was restored;
       --force goes ahead)
  5    run: the conversation no longer fits the model
  6    run: paused at a spend cap
  130  run: stopped by you (Ctrl-C; a second Ctrl-C quits at once)
`

const HEADER = 'paddock — run and inspect Paddock sessions from a terminal\n'

/** Every command's usage, the notes and the exit codes: `paddock --help`. */
export const USAGE = `${HEADER}
Usage:
${COMMANDS.map((c) => c.text).join('\n')}
  paddock --version

${RUN_NOTES}
${COMMON}
${EXIT_CODES}`

/** `paddock GROUP --help`: that command's lines (and, for settings, every key). */
export function usageOf(group: string): string {
  // The settings' keys are listed below with what each means, not in the usage line.
  const lines = COMMANDS.filter((c) => c.group === group).map((c) =>
    group === 'settings' ? c.text.split('\n')[0]! : c.text,
  )
  if (lines.length === 0) return USAGE
  const notes =
    group === 'run'
      ? `\n${RUN_NOTES}`
      : group === 'settings'
        ? `\nSettings:\n${Object.entries(SETTINGS)
            .map(([key, schema]) => `  ${key.padEnd(28)} ${schema.description ?? ''}`)
            .join('\n')}\n`
        : ''
  return `Usage:\n${lines.join('\n')}\n${notes}\n${COMMON}\nSee 'paddock --help' for every command and the exit codes.\n`
}

/** The one line after a usage error that says where the usage is. */
export function usageHint(group: string | undefined): string {
  return group && group in SUBCOMMANDS
    ? `Run 'paddock ${group} --help' for usage.\n`
    : `Run 'paddock --help' for usage.\n`
}

/**
 * The candidate `word` was most likely meant to be: the closest by edit distance, if close enough
 * (at most a third of its length, and at most 3), else one it is a prefix of; else null.
 */
export function closest(word: string, candidates: readonly string[]): string | null {
  let best: string | null = null
  let bestDistance = Infinity
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase())
    if (d < bestDistance) {
      best = c
      bestDistance = d
    }
  }
  if (best !== null && bestDistance <= Math.min(3, Math.max(1, Math.floor(best.length / 3)))) {
    return best
  }
  const prefixed = candidates.filter((c) => word.length >= 2 && c.startsWith(word))
  return prefixed.length === 1 ? prefixed[0]! : null
}

/** Levenshtein distance, with a swap of two neighbours counted as one edit. */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  )
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        v = Math.min(v, d[i - 2]![j - 2]! + 1)
      }
      d[i]![j] = v
    }
  }
  return d[a.length]![b.length]!
}

/** `text` wrapped at `width` columns, every line indented by `indent` spaces. */
function wrap(text: string, indent: number, width: number): string {
  const lines: string[] = []
  let line = ''
  for (const word of text.split(' ')) {
    if (line && indent + line.length + 1 + word.length > width) {
      lines.push(line)
      line = word
    } else line = line ? `${line} ${word}` : word
  }
  if (line) lines.push(line)
  return lines.map((l) => `${' '.repeat(indent)}${l}`).join('\n')
}
