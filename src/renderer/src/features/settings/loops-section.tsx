import type { JSX } from 'react'
import type { Toggle } from './toggle-group'
import { ToggleGroup } from './toggle-group'

/** Every detector is on by default: off is stored as `false`. */
const DETECTORS: readonly Toggle[] = [
  {
    key: 'loops.identicalCalls',
    fallback: true,
    label: 'Identical calls',
    check: 'Ask me',
    help: 'The same tool call three times in a row, with the same result (a call whose result changes is polling).',
  },
  {
    key: 'loops.failingCommand',
    fallback: true,
    label: 'Failing command',
    check: 'Tell the agent, then ask me',
    help: 'The same command failing with the same output three times in its last ten calls.',
  },
  {
    key: 'loops.repeatedText',
    fallback: true,
    label: 'Repeated text',
    check: 'Tell the agent, then ask me',
    help: 'The same paragraph in three answers in a row.',
  },
]

/** Loops: each loop detector on or off, saved together. */
export function LoopsSection(): JSX.Element {
  return (
    <ToggleGroup
      id="loops"
      title="Loop detection"
      description="When the agent goes in circles, it is told what repeats first; if it repeats again, you are asked. Polling a running command never counts."
      toggles={DETECTORS}
    />
  )
}
