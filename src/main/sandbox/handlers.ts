import type { Handlers } from '../host/dispatcher'
import type { SessionSandboxes } from './session-sandbox'

/** The contract's sandbox method: the mode and network the agent's shells start with. */
export function sandboxHandlers(sandboxes: SessionSandboxes): Pick<Handlers, 'sandbox.status'> {
  return {
    'sandbox.status': () => sandboxes.state(),
  }
}
