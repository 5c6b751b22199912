import { useCallback, useEffect, useRef, useState } from 'react'
import type { McpList } from '../../../../shared/contract'
import { useAppStore } from '../../app/store'
import { getClient } from '../../lib/api/client'
import { errorMessage } from '../../lib/api/error-message'

export interface McpData {
  /** The servers and the workspace file's note; null until the first answer. */
  list: McpList | null
  error: string | null
  /** Apply an answer a change returned (every `mcp.*` change answers with the list). */
  apply(list: McpList): void
  reload(): Promise<void>
}

/**
 * The MCP servers for a workspace (the user's, and its `.mcp.json` when it is trusted), read when
 * the section opens and again whenever the host says a server changed (`mcp.changed`), or the
 * window caught up after a lost connection. A late answer to an older read is dropped.
 */
export function useMcp(workspaceId: string | undefined): McpData {
  const [list, setList] = useState<McpList | null>(null)
  const [error, setError] = useState<string | null>(null)
  const generation = useRef(0)
  const version = useAppStore((s) => s.mcpVersion)
  const resyncs = useAppStore((s) => s.resyncs)

  const read = useCallback((): Promise<void> => {
    const mine = ++generation.current
    return getClient()
      .call('mcp.list', workspaceId ? { workspaceId } : {})
      .then(
        (answer) => {
          if (mine !== generation.current) return
          setList(answer)
          setError(null)
        },
        (err: unknown) => {
          if (mine === generation.current) setError(errorMessage(err))
        },
      )
  }, [workspaceId])

  useEffect(() => {
    read().catch(() => undefined)
  }, [read, version, resyncs])

  const apply = useCallback((answer: McpList) => {
    generation.current++
    setList(answer)
    setError(null)
  }, [])

  return { list, error, apply, reload: read }
}
