import type { JSX } from 'react'
import type { SettingFieldSpec } from './settings-form'
import { SettingsForm } from './settings-form'

const FIELDS: SettingFieldSpec[] = [
  {
    key: 'network.proxy',
    label: 'Proxy',
    kind: 'text',
    mono: true,
    placeholder: 'From HTTPS_PROXY / HTTP_PROXY',
    help: 'Every request to a model provider goes through it, e.g. http://proxy.example:3128.',
  },
  {
    key: 'network.noProxy',
    label: 'Bypass the proxy for',
    kind: 'text',
    mono: true,
    placeholder: 'From NO_PROXY',
    help: 'Hosts reached directly, comma-separated, e.g. localhost,127.0.0.1,.internal.example.',
  },
  {
    key: 'network.caFile',
    label: 'CA certificates file',
    kind: 'text',
    mono: true,
    placeholder: 'System certificates only',
    help: 'An absolute path to a PEM bundle on the host, trusted in addition to the system’s (a company proxy that inspects TLS).',
  },
  {
    key: 'network.requestTimeoutMs',
    label: 'Request timeout',
    kind: 'number',
    unit: 'ms',
    placeholder: 'Provider default',
    help: 'How long one model call may take before it fails and is retried: 1000 (a second) to 3600000 (an hour).',
  },
]

/** Network: how the host reaches model providers. */
export function NetworkSection(): JSX.Element {
  return (
    <SettingsForm
      id="network"
      title="Connections to model providers"
      description="Empty fields fall back to the environment the host was started with. Changes apply to the next request."
      fields={FIELDS}
    />
  )
}
