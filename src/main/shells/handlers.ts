import type { Handlers } from '../host/dispatcher'
import { ContractError } from '../../shared/errors'

type TerminalMethod = Extract<keyof Handlers, `terminals.${string}`>

/** The `terminals.*` handlers (the shell manager lands next; until then they say so). */
export function terminalHandlers(): Pick<Handlers, TerminalMethod> {
  const pending = (): never => {
    throw new ContractError('internal', 'Terminals are not available in this build yet.')
  }
  return {
    'terminals.list': pending,
    'terminals.create': pending,
    'terminals.attach': pending,
    'terminals.detach': pending,
    'terminals.ack': pending,
    'terminals.input': pending,
    'terminals.resize': pending,
    'terminals.restart': pending,
    'terminals.close': pending,
  }
}
