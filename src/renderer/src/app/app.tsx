import { useEffect } from 'react'
import type { JSX } from 'react'
import { AgentsView } from '../features/agents/agents-view'
import { startNotifications } from '../features/notifications/notifications-runtime'
import { FirstRun, FirstRunWhenDue } from '../features/first-run/first-run'
import { CommandPalette } from '../features/palette/command-palette'
import { startSettingsSync } from '../features/settings/settings-sync'
import { SettingsView } from '../features/settings/settings-view'
import { UpdateBanner } from '../features/updates/update-banner'
import { getClient } from '../lib/api/client'
import { bootHost } from './boot'
import { ConnectionBanner } from './connection-banner'
import { PaneGrid } from './layout/pane-grid'
import { Notices } from './notices'
import { OpenFolderDialog } from './open-folder/open-folder-dialog'
import { NewSessionDialog } from './sidebar/new-session-dialog'
import { Sidebar } from './sidebar/sidebar'
import { useAppStore } from './store'
import { TabStrip } from './tabs/tab-strip'
import { useGlobalShortcuts } from './use-global-shortcuts'
import { useRadarBoot } from './use-radar-boot'
import { Welcome } from './welcome'

/** The workbench: workspaces on the left, session tabs and their panes on the right. */
export function App(): JSX.Element {
  const anyPane = useAppStore((s) => s.layout.panes.length > 0)
  const settingsOpen = useAppStore((s) => s.settingsOpen)
  const agentsOpen = useAppStore((s) => s.agentsOpen)
  const firstRunOpen = useAppStore((s) => s.firstRunOpen)

  useEffect(() => bootHost(getClient()), [])
  useEffect(() => startNotifications(), [])
  // Opening or switching to a session shows it: Settings and the Agents view step aside.
  useEffect(
    () =>
      useAppStore.subscribe((s, prev) => {
        if (s.layout.panes === prev.layout.panes && s.activeTab === prev.activeTab) return
        if (s.settingsOpen) s.closeSettings()
        if (s.agentsOpen) s.closeAgents()
        if (s.firstRunOpen) s.closeFirstRun()
      }),
    [],
  )
  useEffect(() => startSettingsSync(), [])
  useGlobalShortcuts()
  useRadarBoot()

  return (
    <div className="workbench">
      <ConnectionBanner />
      <UpdateBanner />
      <div className="workbench-body">
        <Sidebar />
        <main className="main">
          {/* Hidden, not unmounted, under Settings, Agents or the setup: drafts, terminals and scroll stay as they were. */}
          <div className="main-sessions" hidden={settingsOpen || agentsOpen || firstRunOpen}>
            <TabStrip />
            {anyPane ? <PaneGrid /> : <Welcome />}
          </div>
          {settingsOpen && <SettingsView />}
          {agentsOpen && !settingsOpen && <AgentsView />}
          {firstRunOpen && <FirstRun hidden={settingsOpen || agentsOpen} />}
          <FirstRunWhenDue />
        </main>
      </div>
      <OpenFolderDialog />
      <NewSessionDialog />
      <CommandPalette />
      <Notices />
    </div>
  )
}
