import type { JSX } from 'react'
import { AppearanceSection } from './appearance-section'
import { ContextSection } from './context-section'
import { SandboxSection } from '../sandbox/sandbox-section'
import { DoctorSection } from './doctor-section'
import { FallbacksSection } from './fallbacks-section'
import { LoopsSection } from './loops-section'
import { McpSection } from './mcp-section'
import { NetworkSection } from './network-section'
import { NotificationsSection } from '../notifications/notifications-section'
import { PermissionsSection } from './permissions-section'
import { ProvidersSection } from './providers-section'
import { ShortcutsSection } from './shortcuts-section'
import { SkillsSection } from './skills-section'
import { SpendSection } from './spend-section'
import { TerminalsSection } from './terminals-section'
import { WorktreesSection } from './worktrees-section'

/**
 * The sections of the Settings view, in the order of its left-hand list. A section is one entry
 * here: an id for `openSettings(id)`, a label that names its region, a one-line description under
 * the heading, and the component that fills it.
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
  {
    id: 'fallbacks',
    label: 'Fallbacks',
    description:
      'What a run does when its model fails: the models it moves to, and when it comes back.',
    Component: FallbacksSection,
  },
  {
    id: 'permissions',
    label: 'Permissions',
    description:
      'What the agent may do without asking: your rules, the workspaces’ own, and what they decide.',
    Component: PermissionsSection,
  },
  {
    id: 'mcp',
    label: 'MCP servers',
    description:
      'Tools from MCP servers, shared by every session: their state, their tools, their log.',
    Component: McpSection,
  },
  {
    id: 'spend',
    label: 'Spend',
    description: 'Caps on what model calls may cost, per session and per day.',
    Component: SpendSection,
  },
  {
    id: 'context',
    label: 'Context',
    description:
      'How a long session stays inside its model’s window: when it is compacted, and what is kept.',
    Component: ContextSection,
  },
  {
    id: 'loops',
    label: 'Loops',
    description: 'What Paddock does when the agent goes in circles.',
    Component: LoopsSection,
  },
  {
    id: 'network',
    label: 'Network',
    description: 'How the host reaches model providers: proxy, certificates and timeouts.',
    Component: NetworkSection,
  },
  {
    id: 'terminals',
    label: 'Terminals',
    description: 'The shell your terminals and the agent run, and what they keep.',
    Component: TerminalsSection,
  },
  {
    id: 'worktrees',
    label: 'Worktrees',
    description:
      'Where worktree sessions work, every worktree with its size, and deleted sessions to restore.',
    Component: WorktreesSection,
  },
  {
    id: 'sandbox',
    label: 'Sandbox',
    description:
      'How the agent’s commands are confined: where they may write, whether they reach the network.',
    Component: SandboxSection,
  },
  {
    id: 'skills',
    label: 'Skills',
    description:
      'Instructions for particular tasks the agent reads when it needs them, or you invoke with /name.',
    Component: SkillsSection,
  },
  {
    id: 'appearance',
    label: 'Appearance',
    description: 'Light or dark, or as your system is set.',
    Component: AppearanceSection,
  },
  {
    id: 'notifications',
    label: 'Notifications',
    description:
      'What tells you about a session you are not looking at, and how: system or browser notifications, a badge, a tone.',
    Component: NotificationsSection,
  },
  {
    id: 'shortcuts',
    label: 'Keyboard shortcuts',
    description: 'The keys of every action, and the palette that lists them all.',
    Component: ShortcutsSection,
  },
  {
    id: 'doctor',
    label: 'Doctor',
    description:
      'Whether what Paddock needs works here: git, the sandbox, a terminal, the PATH, the data folder.',
    Component: DoctorSection,
  },
]

/** The section to show for an id; an unknown id shows the first section. */
export function sectionById(id: string): SettingsSection {
  return SETTINGS_SECTIONS.find((s) => s.id === id) ?? SETTINGS_SECTIONS[0]!
}
