import type { Handlers } from '../host/dispatcher'
import type { ShellManager } from './shell-manager'

type TerminalMethod = Extract<keyof Handlers, `terminals.${string}`>

/** The `terminals.*` handlers: thin, the shell manager does the work. */
export function terminalHandlers(shells: ShellManager): Pick<Handlers, TerminalMethod> {
  return {
    'terminals.list': ({ sessionId }) => shells.list(sessionId),
    'terminals.create': ({ sessionId, cols, rows }) =>
      shells.create(sessionId, {
        ...(cols !== undefined ? { cols } : {}),
        ...(rows !== undefined ? { rows } : {}),
      }),
    'terminals.attach': ({ terminalId }, meta) => shells.attach(meta.client, terminalId),
    'terminals.detach': ({ terminalId }, meta) => {
      shells.detach(meta.client, terminalId)
      return { terminalId }
    },
    'terminals.ack': ({ terminalId, offset }, meta) => {
      shells.ack(meta.client, terminalId, offset)
      return { terminalId }
    },
    'terminals.input': ({ terminalId, data }) => {
      shells.input(terminalId, data)
      return { terminalId }
    },
    'terminals.resize': ({ terminalId, cols, rows }) => ({
      terminalId,
      ...shells.resize(terminalId, cols, rows),
    }),
    'terminals.restart': ({ terminalId }) => shells.restart(terminalId),
    'terminals.close': ({ terminalId }) => {
      shells.close(terminalId)
      return { terminalId }
    },
  }
}
