import type { JSX } from 'react'
import type { SettingFieldSpec } from './settings-form'
import { SettingsForm } from './settings-form'

/**
 * The defaults scale with each model's window (the engine's `budgetFor` and `keepRecentFor`), so
 * they are described, not given as numbers: an empty field is the right default for every model.
 */
const FIELDS: SettingFieldSpec[] = [
  {
    key: 'context.autoCompact',
    label: 'Compact automatically',
    kind: 'boolean',
    placeholder: 'Default (on)',
    help: 'Summarise the older conversation before a request that would not fit the model’s window. On or off, a request the provider refuses as too long is compacted once and retried.',
  },
  {
    key: 'context.reserveTokens',
    label: 'Reserve for the reply',
    kind: 'number',
    unit: 'tokens',
    placeholder: 'Default (⅛ of window)',
    help: 'Tokens kept free for the model’s reply: compaction happens before the conversation reaches them. 256 to 200000, used up to half the window; default an eighth of the window, 2048 to 20000.',
  },
  {
    key: 'context.keepRecentTokens',
    label: 'Keep recent',
    kind: 'number',
    unit: 'tokens',
    placeholder: 'Default (≤ 20000)',
    help: 'Tokens of the newest conversation a compaction keeps word for word; the rest is summarised. 256 to 1000000, used up to half of what fits before compaction; default 30 % of that, at most 20000.',
  },
]

/** Context: when a long session is compacted to fit its model's window, and what it keeps. */
export function ContextSection(): JSX.Element {
  return (
    <SettingsForm
      id="context"
      title="Compaction"
      description="Leave a field empty for its default, which scales with each model’s window. Changes apply from each session’s next prompt."
      fields={FIELDS}
    />
  )
}
