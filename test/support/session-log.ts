import type {
  ChatCompletionCreateParams,
  ChatCompletionMessageFunctionToolCall,
} from 'openai/resources/chat/completions'
import type { EntryPayload, EntryType, RepairRecord } from '../../src/shared/entries'
import { payloadOf } from '../../src/shared/entries'
import type { AgentFixture } from './agent'

/**
 * What a wire test reads back after a run: the entries the engine logged (checked against their
 * schemas, so a test sees the payload the app would) and the tool calls the fake model was sent.
 * One set, so every wire test reads the log and the requests the same way.
 */

/** The payloads of the fixture session's `type` entries, in order; one that does not read throws. */
export function logged<T extends EntryType>(f: AgentFixture, type: T): Array<EntryPayload<T>> {
  return f.fx.engine.store
    .branch(f.sessionId)
    .filter((e) => e.type === type)
    .map((e) => {
      const payload = payloadOf(e, type)
      if (payload === null) throw new Error(`a ${type} entry does not read: ${JSON.stringify(e)}`)
      return payload
    })
}

/** The notes of the fixture session's repairs made at `source` (stream, arguments…), in order. */
export function repairNotes(
  f: AgentFixture,
  source: RepairRecord['source'],
): RepairRecord['notes'] {
  return logged(f, 'repair')
    .filter((r) => r.source === source)
    .flatMap((r) => r.notes)
}

/** The assistant tool calls a chat request carried in its history, in order. */
export function toolCallsIn(
  body: ChatCompletionCreateParams,
): ChatCompletionMessageFunctionToolCall[] {
  return body.messages.flatMap((m) =>
    m.role === 'assistant' && m.tool_calls
      ? m.tool_calls.map((c) => {
          if (c.type !== 'function') throw new Error(`unexpected tool call type ${c.type}`)
          return c
        })
      : [],
  )
}

/** The assistant tool calls in chat request `n` (0-based) the fake received. */
export function callsSent(f: AgentFixture, n: number): ChatCompletionMessageFunctionToolCall[] {
  return toolCallsIn(f.fake.chatRequests()[n]!)
}
