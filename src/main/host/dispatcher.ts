import type { Method, MethodOutput, MethodParams } from '../../shared/contract'
import { MAX_REQUEST_BYTES, contract, isMethod } from '../../shared/contract'
import type { CallOutcome } from '../../shared/wire'
import { ContractError } from '../../shared/errors'
import { requestTooLargeMessage } from '../../shared/request-size'
import type { Logger } from '../core/logger'
import { rateLimitedLog } from '../core/log-limit'

export type Handlers = {
  [M in Method]: (
    input: MethodParams<M>,
    meta: CallMeta,
  ) => Promise<MethodOutput<M>> | MethodOutput<M>
}

export interface CallMeta {
  /** Which transport the request came through, for the log. */
  transport: string
  /** Size of the request as received, in bytes, when the transport knows it. */
  bytes?: number
  /**
   * The connection's client id, as given to `Engine.subscribe` on the same connection: ties
   * per-connection state (terminal attachments) to the subscription that receives its events.
   */
  client?: string
}

/**
 * The single gate between every transport and the engine: known method, size limit, strict schema.
 * Bad requests are answered with a typed error and logged; they never reach a handler, so they
 * change nothing. Handler errors become `{code, message}`; unexpected ones are logged as `internal`.
 * Rejections are logged at most 10 lines a second, with a count of the rest, for every transport.
 */
export function createDispatcher(
  handlers: Handlers,
  logger: Logger,
): (method: unknown, params: unknown, meta: CallMeta) => Promise<CallOutcome> {
  const rejected = rateLimitedLog(logger, { summary: 'requests rejected, not logged' })
  return async (method, params, meta) => {
    try {
      const result = await dispatch(handlers, method, params, meta)
      return { ok: true, result }
    } catch (err) {
      const error = toContractError(err)
      const level = error.code === 'internal' ? 'error' : 'warn'
      rejected.log(level, 'request rejected', {
        transport: meta.transport,
        method: typeof method === 'string' ? method.slice(0, 100) : typeof method,
        code: error.code,
        message: error.message,
        ...(error.code === 'internal' && err instanceof Error ? { stack: err.stack } : {}),
      })
      return { ok: false, error: error.toJSON() }
    }
  }
}

async function dispatch(
  handlers: Handlers,
  method: unknown,
  params: unknown,
  meta: CallMeta,
): Promise<unknown> {
  if (!isMethod(method)) {
    throw new ContractError('unknown_method', `Unknown method ${JSON.stringify(method)}.`)
  }
  const bytes = meta.bytes ?? measure(params)
  if (bytes > MAX_REQUEST_BYTES) {
    throw new ContractError('payload_too_large', requestTooLargeMessage(method, bytes))
  }
  const parsed = contract[method].input.safeParse(params ?? {})
  if (!parsed.success) {
    const detail = parsed.error.issues
      .slice(0, 5)
      .map((i) => `${i.path.length ? i.path.join('.') : '(params)'}: ${i.message}`)
      .join('; ')
    throw new ContractError('invalid_params', `Invalid parameters for ${method}: ${detail}`)
  }
  const handler = handlers[method] as (input: unknown, meta: CallMeta) => unknown
  return await handler(parsed.data, meta)
}

function measure(params: unknown): number {
  try {
    return Buffer.byteLength(JSON.stringify(params ?? {}) ?? '', 'utf8')
  } catch {
    // Cyclic or otherwise unserialisable: it could never have crossed a transport.
    return Number.POSITIVE_INFINITY
  }
}

export function toContractError(err: unknown): ContractError {
  if (err instanceof ContractError) return err
  const code = (err as { code?: unknown }).code
  if (code === 'SQLITE_BUSY') {
    return new ContractError('io_error', 'The database is busy in another process; try again.')
  }
  if (code === 'SQLITE_FULL' || code === 'ENOSPC') {
    return new ContractError('io_error', 'The disk is full; nothing was changed.')
  }
  return new ContractError('internal', err instanceof Error ? err.message : String(err))
}
