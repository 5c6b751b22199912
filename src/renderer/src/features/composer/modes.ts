import type { Mode } from './composer-storage'

/** The agent's permission modes as the picker shows them, each with what it means in a line. */
export const MODES: readonly { mode: Mode; label: string; description: string }[] = [
  {
    mode: 'ask',
    label: 'Ask',
    description: 'Reads and read-only commands run; asks before edits and other commands',
  },
  {
    mode: 'auto-edit',
    label: 'Auto-edit',
    description: 'Edits files and runs read-only commands; asks before other commands',
  },
  {
    mode: 'full-auto',
    label: 'Full auto',
    description: 'Runs everything inside the workspace without asking',
  },
  { mode: 'plan', label: 'Plan', description: 'Reads and plans only; changes nothing' },
]

export function modeInfo(mode: Mode): (typeof MODES)[number] {
  return MODES.find((m) => m.mode === mode) ?? MODES[0]!
}
