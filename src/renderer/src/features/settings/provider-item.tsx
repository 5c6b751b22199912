import { useId, useRef, useState } from 'react'
import type { JSX } from 'react'
import type { ProviderView } from '../../../../shared/contract'
import { InlineConfirm } from '../../app/sidebar/inline-confirm'
import { getClient } from '../../lib/api/client'
import { errorMessage } from '../../lib/api/error-message'
import { PencilIcon, TrashIcon } from '../../lib/ui/icons'
import { keyStateLabel, kindLabel, modelCountLabel, presetLabel } from './provider-display'
import type { VerdictView } from './verdict'
import { describeVerdict } from './verdict'
import { StatusArea } from './verdict-line'

/** One configured provider: what it is, where its key comes from, and its actions. */
export function ProviderItem({
  provider,
  onEdit,
  onRemoved,
}: {
  provider: ProviderView
  onEdit: () => void
  onRemoved: () => void
}): JSX.Element {
  const nameId = useId()
  const [testing, setTesting] = useState(false)
  const [verdict, setVerdict] = useState<VerdictView | null>(null)
  const [confirming, setConfirming] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const preset = presetLabel(provider.preset)
  const removeRef = useRef<HTMLButtonElement>(null)

  const test = async (): Promise<void> => {
    setTesting(true)
    setVerdict(null)
    setError(null)
    try {
      const result = await getClient().call('providers.test', { name: provider.name })
      setVerdict(describeVerdict(result, { kind: provider.kind, baseUrl: provider.baseUrl }))
    } catch (err) {
      setError(`Could not test: ${errorMessage(err)}`)
    } finally {
      setTesting(false)
    }
  }

  const remove = async (): Promise<void> => {
    setConfirming(false)
    setError(null)
    try {
      await getClient().call('providers.remove', { name: provider.name })
      onRemoved()
    } catch (err) {
      setError(`Could not remove: ${errorMessage(err)}`)
    }
  }

  return (
    <li className="provider-item" aria-labelledby={nameId}>
      <div className="provider-row">
        <div className="provider-main">
          <div className="provider-title">
            <span id={nameId} className="provider-name">
              {provider.name}
            </span>
            <span className="settings-badge">{kindLabel(provider.kind)}</span>
            {preset && preset !== kindLabel(provider.kind) && (
              <span className="settings-badge">{preset}</span>
            )}
            {provider.readOnly && (
              <span
                className="settings-badge settings-badge-readonly"
                title="Set by the host's environment (PADDOCK_BASE_URL); change it there"
              >
                Read-only · host environment
              </span>
            )}
          </div>
          <p className="provider-meta">
            <span className="provider-url">{provider.baseUrl}</span>
            <span className="provider-key">{keyStateLabel(provider.key)}</span>
            <span>{modelCountLabel(provider.models.length)}</span>
          </p>
        </div>
        <div className="provider-actions">
          <button type="button" className="btn" disabled={testing} onClick={() => void test()}>
            Test connection
          </button>
          {!provider.readOnly && (
            <>
              <button type="button" className="btn" data-edit={provider.name} onClick={onEdit}>
                <PencilIcon />
                <span>Edit</span>
              </button>
              <button
                ref={removeRef}
                type="button"
                className="btn"
                onClick={() => setConfirming(true)}
              >
                <TrashIcon />
                <span>Remove</span>
              </button>
            </>
          )}
        </div>
      </div>
      <StatusArea busy={testing ? 'Testing the connection…' : null} verdict={verdict} />
      {error && (
        <p role="alert" className="settings-error">
          {error}
        </p>
      )}
      {confirming && (
        <InlineConfirm
          message={`Remove “${provider.name}” and its stored key? Sessions that use its models will need another model.`}
          confirmLabel="Remove provider"
          onConfirm={() => void remove()}
          onCancel={() => {
            setConfirming(false)
            removeRef.current?.focus()
          }}
        />
      )}
    </li>
  )
}
