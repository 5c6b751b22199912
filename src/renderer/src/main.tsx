import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './app/app'
import { startColorScheme } from './lib/ui/color-scheme'
import './styles/base.css'
import './styles/workbench.css'
import './styles/sidebar.css'
import './styles/sandbox.css'
import './styles/tabs.css'
import './styles/panes.css'
import './styles/pane-grid.css'
import './styles/dialog.css'
import './styles/transcript.css'
import './styles/settings.css'
import './styles/first-run.css'
import './styles/settings-sections.css'
import './styles/approvals.css'

// The scheme this browser showed last, before the first paint (the host's setting follows).
startColorScheme()

const root = document.getElementById('root')
if (!root) throw new Error('index.html has no #root element')

createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
)
