import { useState } from 'react'
import type { JSX } from 'react'
import type { McpList, MethodInput } from '../../../../shared/contract'
import { getClient } from '../../lib/api/client'
import { errorMessage } from '../../lib/api/error-message'

/** Words of a command line, split on spaces; "quoted words" stay whole. */
export function splitCommandLine(line: string): string[] {
  const words: string[] = []
  for (const m of line.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)) words.push(m[1] ?? m[2] ?? m[3]!)
  return words
}

/** `K=V` or `K: V` lines into a record; the first malformed line is the error. */
function pairs(text: string, sep: '=' | ':'): Record<string, string> | string {
  const out: Record<string, string> = {}
  for (const raw of text.split('\n')) {
    const line = raw.trim()
    if (!line) continue
    const at = line.indexOf(sep)
    if (at <= 0)
      return `“${line.slice(0, 40)}” must read ${sep === '=' ? 'NAME=value' : 'Name: value'}`
    out[line.slice(0, at).trim()] = line.slice(at + 1).trim()
  }
  return out
}

/** Add a server: a command Paddock starts (stdio), or a remote address (HTTP). */
export function McpAddForm({ onAdded }: { onAdded: (list: McpList) => void }): JSX.Element {
  const [kind, setKind] = useState<'stdio' | 'http'>('stdio')
  const [name, setName] = useState('')
  const [command, setCommand] = useState('')
  const [url, setUrl] = useState('')
  const [extra, setExtra] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)

  const submit = async (): Promise<void> => {
    setError(null)
    const parsed = pairs(extra, kind === 'stdio' ? '=' : ':')
    if (typeof parsed === 'string') return setError(parsed)
    let input: MethodInput<'mcp.add'>
    if (kind === 'stdio') {
      const [cmd, ...args] = splitCommandLine(command)
      if (!cmd) return setError('Give the command that starts the server.')
      input = { transport: 'stdio', name: name.trim(), command: cmd, args, env: parsed }
    } else {
      input = { transport: 'http', name: name.trim(), url: url.trim(), headers: parsed }
    }
    setBusy(true)
    try {
      onAdded(await getClient().call('mcp.add', input))
      setName('')
      setCommand('')
      setUrl('')
      setExtra('')
    } catch (err) {
      setError(errorMessage(err))
    } finally {
      setBusy(false)
    }
  }

  return (
    <form
      className="mcp-add"
      aria-label="Add an MCP server"
      onSubmit={(e) => {
        e.preventDefault()
        void submit()
      }}
    >
      <div className="mcp-add-kind" role="radiogroup" aria-label="How Paddock reaches it">
        <label className="checkbox">
          <input type="radio" checked={kind === 'stdio'} onChange={() => setKind('stdio')} />
          Command (stdio)
        </label>
        <label className="checkbox">
          <input type="radio" checked={kind === 'http'} onChange={() => setKind('http')} />
          Remote (HTTP)
        </label>
      </div>
      <div className="mcp-add-row">
        <label className="mcp-add-field">
          <span>Name</span>
          <input
            className="text-input"
            value={name}
            placeholder="github"
            onChange={(e) => setName(e.target.value)}
          />
        </label>
        {kind === 'stdio' ? (
          <label className="mcp-add-field is-wide">
            <span>Command</span>
            <input
              className="text-input settings-mono"
              value={command}
              placeholder="npx -y @modelcontextprotocol/server-github"
              onChange={(e) => setCommand(e.target.value)}
            />
          </label>
        ) : (
          <label className="mcp-add-field is-wide">
            <span>Address</span>
            <input
              className="text-input settings-mono"
              value={url}
              placeholder="https://mcp.example.com/mcp"
              onChange={(e) => setUrl(e.target.value)}
            />
          </label>
        )}
      </div>
      <label className="mcp-add-field">
        <span>
          {kind === 'stdio'
            ? 'Environment (NAME=value, one a line)'
            : 'Headers (Name: value, one a line; values are kept as secrets)'}
        </span>
        <textarea
          className="text-input settings-mono"
          rows={2}
          value={extra}
          onChange={(e) => setExtra(e.target.value)}
        />
      </label>
      {error && (
        <p role="alert" className="settings-error">
          {error}
        </p>
      )}
      <div>
        <button type="submit" className="btn btn-primary" disabled={busy || !name.trim()}>
          Add server
        </button>
      </div>
    </form>
  )
}
