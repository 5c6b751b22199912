/**
 * A loopback fake of the OpenAI Chat Completions API (and Anthropic's Messages API), spoken at
 * the wire (HTTP + SSE), for tests of code that talks to a model. Script turns, point the
 * client's base URL at `baseUrl` (OpenAI) or `anthropicBaseUrl` (Anthropic).
 */
export { startFakeLlm } from './server'
export type {
  ErrorSpec,
  ErrorTurn,
  FakeLlm,
  RecordedRequest,
  ReplyTurn,
  ScriptedToolCall,
  ScriptedUsage,
  StartFakeLlmOptions,
  StrictOptions,
  Turn,
} from './types'
export {
  chunk,
  contentChunks,
  cumulativeArgumentChunks,
  objectArgumentChunks,
  resentArgumentChunks,
  sharedIndexChunks,
  toolCallChunks,
  withoutFinishReason,
} from './quirk-chunks'
export type { QuirkCall, QuirkStreamOptions, RawChunks } from './quirk-chunks'
export type { ApiErrorBody } from './errors'
export type { AnthropicErrorBody } from './anthropic-errors'
