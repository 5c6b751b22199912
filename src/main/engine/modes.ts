import type { ToolEffect } from '../tools/types'

import type { Mode } from '../policy/modes'

export { MODES } from '../policy/modes'
export type { Mode } from '../policy/modes'

/**
 * Until approvals exist (the permissions issue), a mode can only allow or refuse: `full-auto` runs
 * everything, `auto-edit` runs edits but refuses commands, `ask` and `plan` refuse both. Returns
 * the refusal the model reads, or null when the call may run.
 */
export function modeRefusal(mode: Mode, toolName: string, effect: ToolEffect): string | null {
  if (mode === 'full-auto' || effect.kind === 'read') return null
  if (mode === 'auto-edit' && effect.kind === 'write') return null
  const what = effect.kind === 'exclusive' ? 'run commands' : 'change files'
  return (
    `Refused: the session is in "${mode}" mode, which needs the user's approval to ${what} ` +
    `(${toolName}), and approvals are not available yet. Tell the user what you would do, or ` +
    `ask them to switch to full-auto mode.`
  )
}
