import type { JSX } from 'react'
import type { ActionGroup } from '../palette/actions'
import { listedActions } from '../palette/actions'
import type { Shortcut } from '../palette/shortcuts'
import { shortcutLabel, SHORTCUTS } from '../palette/shortcuts'

/** Keys with a meaning that no palette action stands for, listed under "Elsewhere". */
const OTHER_KEYS: readonly { label: string; shortcut: Shortcut }[] = [
  { label: 'Send the message (steer while the agent runs)', shortcut: SHORTCUTS.send },
  { label: 'Deny the request and stop the agent', shortcut: SHORTCUTS.denyAndStop },
]

const GROUPS: readonly ActionGroup[] = ['Sessions', 'Run', 'Panels', 'Settings']

function Keys({ shortcut }: { shortcut: Shortcut | null }): JSX.Element {
  if (!shortcut) return <span className="muted">—</span>
  return (
    <>
      <kbd>{shortcutLabel(shortcut)}</kbd>
      {shortcut.scope && <span className="shortcuts-scope">{shortcut.scope}</span>}
    </>
  )
}

/**
 * Keyboard shortcuts, read-only: every action of the command palette with its keys, from the
 * same registry the palette and the key listeners use, so the list cannot drift from the keys.
 */
export function ShortcutsSection(): JSX.Element {
  const actions = listedActions()
  return (
    <div className="settings-group">
      <p className="muted">
        Every action is in the command palette ({shortcutLabel(SHORTCUTS.commandPalette)}), keys or
        not.
      </p>
      <table className="shortcuts-table" aria-label="Keyboard shortcuts">
        <thead>
          <tr>
            <th scope="col">Action</th>
            <th scope="col">Keys</th>
          </tr>
        </thead>
        {GROUPS.map((group) => (
          <tbody key={group}>
            <tr>
              <th scope="colgroup" colSpan={2}>
                {group}
              </th>
            </tr>
            {actions
              .filter((a) => a.group === group)
              .map((a) => (
                <tr key={a.id}>
                  <td>{a.label}</td>
                  <td>
                    <Keys shortcut={a.shortcut} />
                  </td>
                </tr>
              ))}
          </tbody>
        ))}
        <tbody>
          <tr>
            <th scope="colgroup" colSpan={2}>
              Elsewhere
            </th>
          </tr>
          {OTHER_KEYS.map((k) => (
            <tr key={k.label}>
              <td>{k.label}</td>
              <td>
                <Keys shortcut={k.shortcut} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
