import type { JSX } from 'react'
import type { SettingFieldSpec } from './settings-form'
import { SettingsForm } from './settings-form'

const FIELDS: SettingFieldSpec[] = [
  {
    key: 'terminals.shell',
    label: 'Shell',
    kind: 'text',
    mono: true,
    placeholder: '$SHELL, else bash, else sh',
    help: 'A path or a name on the host’s PATH, for your terminals and the agent’s. New terminals use it; restart a terminal to switch.',
  },
  {
    key: 'terminals.scrollbackLines',
    label: 'Scrollback',
    kind: 'number',
    unit: 'lines',
    placeholder: 'Default (1000)',
    help: 'Lines each terminal keeps (and saves for the agent’s terminal): 100 to 100000.',
  },
  {
    key: 'agent.passEnv',
    label: 'Pass these variables',
    kind: 'list',
    mono: true,
    placeholder: 'None',
    help: 'Variables whose names look like secrets (GH_TOKEN, *_PASSWORD…) are kept from terminals and the agent; list the ones to let through, comma-separated. A model key never is.',
  },
]

/** Terminals: the shell terminals run, their scrollback, and their environment. */
export function TerminalsSection(): JSX.Element {
  return (
    <SettingsForm
      id="terminals"
      title="Shell and scrollback"
      description="Used by your terminals and by the agent’s own shell."
      fields={FIELDS}
    />
  )
}
