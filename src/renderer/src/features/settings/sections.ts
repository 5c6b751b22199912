import type { JSX } from 'react'
import { ProvidersSection } from './providers-section'

/**
 * The sections of the Settings view, in the order of its left-hand list. A later section (Network,
 * Spend, Permissions) is one more entry here: an id for `openSettings(id)`, a label that names its
 * region, a one-line description under the heading, and the component that fills it.
 */
export interface SettingsSection {
  id: string
  label: string
  description: string
  Component: () => JSX.Element
}

export const SETTINGS_SECTIONS: readonly SettingsSection[] = [
  {
    id: 'providers',
    label: 'Providers',
    description:
      'Where models come from: endpoints and their keys, and the model new sessions use.',
    Component: ProvidersSection,
  },
]

/** The section to show for an id; an unknown id shows the first section. */
export function sectionById(id: string): SettingsSection {
  return SETTINGS_SECTIONS.find((s) => s.id === id) ?? SETTINGS_SECTIONS[0]!
}
