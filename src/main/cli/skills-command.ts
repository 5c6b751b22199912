import type { SkillList } from '../../shared/contract'
import type { CliIo } from './cli'
import type { CliCall } from './checkpoints-command'
import { workspaceArg } from './worktree-of'

/** A `paddock skills …` line that cannot run: exit 2. */
export class SkillsUsageError extends Error {}

/** Characters of a description shown per line by the plain listing. */
const DESCRIPTION_CHARS = 70

/**
 * `paddock skills list [--workspace DIR] [--json]`: the skills a session in DIR would find (the
 * workspace's, then the user's), with every problem found on the way; without --workspace, the
 * user's own. Exit 0 even with problems: they are never fatal.
 */
export async function runSkills(
  command: string | undefined,
  flags: { workspace?: string; json: boolean },
  call: CliCall,
  io: CliIo,
): Promise<number> {
  if (command !== 'list') throw new SkillsUsageError('usage: paddock skills list')
  const workspaceId = flags.workspace
    ? (await workspaceArg(call, io.cwd, flags.workspace)).workspace.id
    : undefined
  const list = await call('skills.list', workspaceId ? { workspaceId } : {})
  if (flags.json) io.out(`${JSON.stringify(list, null, 2)}\n`)
  else io.out(plain(list))
  return 0
}

function plain(list: SkillList): string {
  const lines: string[] = []
  if (list.skills.length === 0) {
    lines.push(`No skills. Looked in:`, ...list.folders.map((f) => `  ${f.path}`))
  } else {
    const width = Math.max(...list.skills.map((s) => s.name.length))
    for (const s of list.skills) {
      const hidden = s.hiddenFromModel ? ' [hidden from the model]' : ''
      const description =
        s.description.length > DESCRIPTION_CHARS
          ? `${s.description.slice(0, DESCRIPTION_CHARS - 1)}…`
          : s.description
      lines.push(`${s.name.padEnd(width)}  ${description}${hidden}`)
      lines.push(`${''.padEnd(width)}  ${s.path}`)
    }
  }
  if (list.problems.length) {
    lines.push('', `Problems (${list.problems.length}):`)
    for (const p of list.problems) lines.push(`  ${p.severity}: ${p.path}`, `    ${p.message}`)
  }
  return `${lines.join('\n')}\n`
}
