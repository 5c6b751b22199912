import { readFile, stat } from 'node:fs/promises'
import { dirname, join, relative } from 'node:path'

/** Instruction files read into the system prompt, in each folder, in this order. */
export const INSTRUCTION_FILES = ['AGENTS.md', 'CLAUDE.md'] as const
/** Largest instruction file included, in bytes; longer ones are cut with a note. */
export const MAX_INSTRUCTION_BYTES = 64 * 1024

export interface InstructionFile {
  /** Path relative to the workspace root ('' segments upward are '..'). */
  path: string
  content: string
}

/**
 * AGENTS.md / CLAUDE.md from the repository root down to the workspace root (outermost first, so
 * the nearest folder's rules come last and win). Outside a git repository, only the workspace root.
 */
export async function findInstructionFiles(workspaceRoot: string): Promise<InstructionFile[]> {
  const dirs: string[] = []
  let dir = workspaceRoot
  for (;;) {
    dirs.unshift(dir)
    if (await exists(join(dir, '.git'))) break
    const parent = dirname(dir)
    if (parent === dir) {
      // No repository above: only the workspace itself counts.
      dirs.splice(0, dirs.length, workspaceRoot)
      break
    }
    dir = parent
  }
  const out: InstructionFile[] = []
  for (const d of dirs) {
    for (const name of INSTRUCTION_FILES) {
      const file = join(d, name)
      let text: string
      try {
        const buf = await readFile(file)
        text = buf.subarray(0, MAX_INSTRUCTION_BYTES).toString('utf8')
        if (buf.length > MAX_INSTRUCTION_BYTES) {
          text += `\n[… cut at ${MAX_INSTRUCTION_BYTES} bytes of ${buf.length}]`
        }
      } catch {
        continue
      }
      out.push({ path: relative(workspaceRoot, file) || name, content: text })
    }
  }
  return out
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path)
    return true
  } catch {
    return false
  }
}
