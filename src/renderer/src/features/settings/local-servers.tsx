import { useId, useState } from 'react'
import type { JSX } from 'react'
import type { MethodOutput, ProviderView } from '../../../../shared/contract'
import { getClient } from '../../lib/api/client'
import { errorMessage } from '../../lib/api/error-message'
import { ServerIcon } from '../../lib/ui/icons'
import { findPreset } from './presets'
import { freeName, modelCountLabel } from './provider-display'

export type Detected = MethodOutput<'providers.detectLocal'>[number]
export type Scan =
  | { status: 'idle' }
  | { status: 'busy' }
  | { status: 'done'; found: Detected[] }
  | { status: 'error'; message: string }

/** Look for model servers on the host's machine (`providers.detectLocal`), on request. */
export function useLocalScan(): { scan: Scan; detect: () => Promise<void> } {
  const [scan, setScan] = useState<Scan>({ status: 'idle' })
  const detect = async (): Promise<void> => {
    setScan({ status: 'busy' })
    try {
      setScan({ status: 'done', found: await getClient().call('providers.detectLocal', {}) })
    } catch (err) {
      setScan({
        status: 'error',
        message: `Could not look for local servers: ${errorMessage(err)}`,
      })
    }
  }
  return { scan, detect }
}

/** What a scan says in its status line. */
function scanStatus(scan: Scan): string {
  if (scan.status === 'busy') return 'Looking for Ollama, LM Studio and vLLM…'
  if (scan.status !== 'done') return ''
  if (scan.found.length === 0)
    return 'No local model server answered (Ollama on port 11434, LM Studio on 1234, vLLM on 8000).'
  return `Found ${scan.found.length === 1 ? 'one server' : `${scan.found.length} servers`}.`
}

/** The saved provider at a detected server's address, if there is one. */
export function providerAt(
  providers: readonly ProviderView[],
  baseUrl: string,
): ProviderView | undefined {
  return providers.find((p) => sameAddress(p.baseUrl, baseUrl))
}

/** The Detect button of a local scan, the scan's status line, and its error. */
export function ScanControls({
  scan,
  detect,
  label,
  rowClassName,
}: {
  scan: Scan
  detect: () => Promise<void>
  label: string
  rowClassName: string
}): JSX.Element {
  return (
    <>
      <div className={rowClassName}>
        <button
          type="button"
          className="btn"
          disabled={scan.status === 'busy'}
          onClick={() => void detect()}
        >
          {label}
        </button>
        <span role="status" className="muted">
          {scanStatus(scan)}
        </span>
      </div>
      {scan.status === 'error' && (
        <p role="alert" className="settings-error">
          {scan.message}
        </p>
      )}
    </>
  )
}

/** Model servers on the host's machine (Ollama, LM Studio, vLLM), each one click from a provider. */
export function LocalServers({
  providers,
  onAdded,
}: {
  providers: readonly ProviderView[]
  onAdded: (name: string) => void
}): JSX.Element {
  const { scan, detect } = useLocalScan()

  return (
    <div className="local-servers">
      <ScanControls
        scan={scan}
        detect={detect}
        label="Detect local servers"
        rowClassName="settings-field-row"
      />
      {scan.status === 'done' && scan.found.length > 0 && (
        <ul className="local-list">
          {scan.found.map((server) => (
            <LocalServerItem
              key={server.baseUrl}
              server={server}
              providers={providers}
              onAdded={onAdded}
            />
          ))}
        </ul>
      )}
    </div>
  )
}

function LocalServerItem({
  server,
  providers,
  onAdded,
}: {
  server: Detected
  providers: readonly ProviderView[]
  onAdded: (name: string) => void
}): JSX.Element {
  const labelId = useId()
  const [adding, setAdding] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const preset = findPreset(server.kind)
  const label = preset?.label ?? 'OpenAI-compatible server'
  const existing = providerAt(providers, server.baseUrl)

  const add = async (): Promise<void> => {
    setAdding(true)
    setError(null)
    try {
      const name = freeName(
        preset?.id ?? 'local',
        providers.map((p) => p.name),
      )
      await getClient().call('providers.save', {
        name,
        kind: 'openai',
        ...(preset ? { preset: preset.id } : {}),
        baseUrl: server.baseUrl,
        models: server.models,
      })
      onAdded(name)
    } catch (err) {
      setError(`Could not add it: ${errorMessage(err)}`)
    } finally {
      setAdding(false)
    }
  }

  return (
    <li className="local-item" aria-labelledby={labelId}>
      <ServerIcon />
      <div className="local-main">
        <span id={labelId} className="provider-name">
          {label}
        </span>
        <span className="provider-meta">
          <span className="provider-url">{server.baseUrl}</span>
          <span>{modelCountLabel(server.models.length)}</span>
        </span>
        {error && (
          <p role="alert" className="settings-error">
            {error}
          </p>
        )}
      </div>
      {existing ? (
        <span className="settings-badge">Added as “{existing.name}”</span>
      ) : (
        <button type="button" className="btn" disabled={adding} onClick={() => void add()}>
          Add
        </button>
      )}
    </li>
  )
}

function sameAddress(a: string, b: string): boolean {
  const norm = (u: string): string => u.trim().replace(/\/+$/, '').replace('localhost', '127.0.0.1')
  return norm(a) === norm(b)
}
