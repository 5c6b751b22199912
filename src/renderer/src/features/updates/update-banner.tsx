import { useEffect, useState } from 'react'
import type { JSX } from 'react'
import type { RestartOutcome } from '../../../../shared/update-bridge'
import { RestartOutcomeSchema, UpdateNoticeSchema } from '../../../../shared/update-bridge'
import { useAppStore } from '../../app/store'
import { UpdateBannerView } from './update-banner-view'

/**
 * Shows a downloaded update of the desktop app (`src/main/desktop/update-controller.ts`), heard
 * through the preload. In a browser there is no bridge, so nothing ever shows.
 */
export function UpdateBanner(): JSX.Element | null {
  const [version, setVersion] = useState<string | null>(null)
  const [outcome, setOutcome] = useState<RestartOutcome | null>(null)
  const [later, setLater] = useState<string | null>(null)
  const agentsRunning = useAppStore((s) => Object.values(s.live).some((l) => l.running))

  useEffect(() => {
    const bridge = window.paddockBridge
    if (!bridge) return
    return bridge.onUpdateNotice((raw) => {
      const notice = UpdateNoticeSchema.safeParse(raw)
      setVersion(notice.success ? (notice.data?.version ?? null) : null)
      setOutcome(null)
    })
  }, [])

  if (version === null || later === version) return null
  const restart = (): void => {
    const bridge = window.paddockBridge
    if (!bridge) return
    void bridge.restartToUpdate().then((raw) => {
      const parsed = RestartOutcomeSchema.safeParse(raw)
      setOutcome(parsed.success ? parsed.data : null)
    })
  }
  return (
    <UpdateBannerView
      version={version}
      agentsRunning={agentsRunning}
      outcome={outcome}
      onRestart={restart}
      onLater={() => setLater(version)}
    />
  )
}
