import { useEffect, useRef, useState } from 'react'
import type { JSX } from 'react'
import { useAppStore } from '../../app/store'
import { PlusIcon } from '../../lib/ui/icons'
import { DefaultModelField } from './default-model'
import { LocalServers } from './local-servers'
import { ProviderFormView } from './provider-form'
import { ProviderItem } from './provider-item'
import { useSettingsStore } from './settings-store'
import { useTimedNotice } from './timed-notice'

/** `focus: 'apiKey'`: opened to fix a key the provider refused. */
type Editor = { kind: 'add' } | { kind: 'edit'; name: string; focus?: 'apiKey' } | null

/** Providers: the configured endpoints, adding and editing them, local servers, the default model. */
export function ProvidersSection(): JSX.Element {
  const providers = useSettingsStore((s) => s.providers)
  const loadError = useSettingsStore((s) => s.loadError)
  const loading = useSettingsStore((s) => s.loading)
  const refresh = useSettingsStore((s) => s.refresh)
  const providersVersion = useAppStore((s) => s.providersVersion)
  const target = useAppStore((s) => s.settingsTarget)
  const [editor, setEditor] = useState<Editor>(null)
  const [announcement, announce] = useTimedNotice()
  const addRef = useRef<HTMLButtonElement>(null)
  const listRef = useRef<HTMLUListElement>(null)

  useEffect(() => {
    void refresh()
  }, [refresh, providersVersion])

  // Opened on a provider (from a run it refused): its form, on its key, once the list is in.
  const [openedFor, setOpenedFor] = useState<string | null>(null)
  if (target !== openedFor && (target === null || providers !== null)) {
    setOpenedFor(target)
    if (target !== null && providers?.some((p) => p.name === target && !p.readOnly)) {
      setEditor({ kind: 'edit', name: target, focus: 'apiKey' })
    }
  }
  useEffect(() => {
    if (openedFor !== null) useAppStore.getState().clearSettingsTarget()
  }, [openedFor])

  const names = (providers ?? []).map((p) => p.name)
  const closeEditor = (focusName?: string): void => {
    setEditor(null)
    // Focus goes back where the form was opened from (after React removed the form).
    requestAnimationFrame(() => {
      const target = focusName
        ? listRef.current?.querySelector<HTMLElement>(`[data-edit="${CSS.escape(focusName)}"]`)
        : null
      ;(target ?? addRef.current)?.focus()
    })
  }
  const saved = (name: string, verb: string): void => {
    announce(`${verb} “${name}”.`)
    void refresh()
  }

  return (
    <>
      <div className="settings-group">
        <DefaultModelField />
      </div>

      <div className="settings-group" role="group" aria-labelledby="settings-providers-list">
        <div className="settings-group-header">
          <div>
            <h3 id="settings-providers-list">Configured providers</h3>
            <p className="muted">
              Any OpenAI-compatible endpoint, or Anthropic. Keys stay on the host; this window only
              ever sees their last characters.
            </p>
          </div>
          <button
            type="button"
            className="btn"
            title="Connect a model, open a project and start a session, step by step"
            onClick={() => useAppStore.getState().openFirstRun()}
          >
            Guided setup
          </button>
          <button
            ref={addRef}
            type="button"
            className="btn btn-primary"
            disabled={editor?.kind === 'add'}
            onClick={() => setEditor({ kind: 'add' })}
          >
            <PlusIcon />
            <span>Add provider</span>
          </button>
        </div>
        <p role="status" className="settings-notice">
          {announcement}
        </p>

        {editor?.kind === 'add' && (
          <ProviderFormView
            mode={{ kind: 'add', existingNames: names }}
            onSaved={(p) => {
              saved(p.name, 'Added')
              closeEditor()
            }}
            onCancel={() => closeEditor()}
          />
        )}

        {loadError !== null ? (
          <div role="alert" className="settings-load-error">
            <p>Could not read the providers: {loadError}</p>
            <button type="button" className="btn" disabled={loading} onClick={() => void refresh()}>
              Retry
            </button>
          </div>
        ) : providers === null ? (
          <p className="muted settings-empty">Loading the providers…</p>
        ) : providers.length === 0 ? (
          <p className="muted settings-empty">
            No providers yet. Add one, or detect a model server running on this machine.
          </p>
        ) : (
          <ul ref={listRef} className="provider-list">
            {providers.map((p) =>
              editor?.kind === 'edit' && editor.name === p.name ? (
                <li key={p.name} className="provider-item is-editing">
                  <ProviderFormView
                    mode={{ kind: 'edit', provider: p }}
                    {...(editor.focus ? { focus: editor.focus } : {})}
                    onSaved={(view) => {
                      saved(view.name, 'Saved')
                      closeEditor(view.name)
                    }}
                    onCancel={() => closeEditor(p.name)}
                  />
                </li>
              ) : (
                <ProviderItem
                  key={p.name}
                  provider={p}
                  onEdit={() => setEditor({ kind: 'edit', name: p.name })}
                  onRemoved={() => saved(p.name, 'Removed')}
                />
              ),
            )}
          </ul>
        )}
      </div>

      <div className="settings-group" role="group" aria-labelledby="settings-local-servers">
        <div className="settings-group-header">
          <div>
            <h3 id="settings-local-servers">Local model servers</h3>
            <p className="muted">
              Ollama, LM Studio and vLLM on the host&apos;s machine need no key: add them in one
              click.
            </p>
          </div>
        </div>
        <LocalServers providers={providers ?? []} onAdded={(name) => saved(name, 'Added')} />
      </div>
    </>
  )
}
