import { findAttemptedToolCall } from '../providers/text-tool-calls'
import type { AssistantTurn } from '../providers/types'

/** Paddock's message to a model that tried to call a tool in a form that was not read. */
export interface Correction {
  /** The `user_message` (kind `correction`) the model is sent. */
  text: string
  /**
   * The repair note recorded beside it; absent when the turn's own stream repairs already
   * recorded what was not read (calls read from the same text ran).
   */
  note?: { kind: 'unread_text_tool_call'; detail: string }
}

const HOW_TO_CALL =
  'To use a tool, call it through the tool-calling interface (a structured function call with JSON arguments), not as text or markup in your message.'

/**
 * What to tell the model when its turn made no tool call but its text (or reasoning) holds an
 * attempted one that could not be read (see `findAttemptedToolCall`): which format was
 * recognised, what failed, and how to call tools. Null when the turn called a tool, no tool is
 * offered, or nothing in it looks like a call.
 */
export function correctionFor(
  turn: AssistantTurn,
  toolNames: readonly string[],
): Correction | null {
  if (turn.toolCalls.length > 0 || toolNames.length === 0) return null
  const attempt = findAttemptedToolCall(turn.content, turn.reasoning, toolNames)
  if (!attempt) return null
  const where = attempt.where === 'content' ? 'Your last message' : 'Your reasoning'
  const cutOff =
    turn.finishReason === 'length'
      ? ' The answer was also cut off at the output-token limit: keep each call short (write a large file in parts).'
      : ''
  const text = [
    `[Paddock] ${where} holds a tool call written as text, in the form of ${attempt.format}, and nothing was run: ${attempt.problem}.${cutOff}`,
    HOW_TO_CALL,
    `The tools offered are: ${toolNames.join(', ')}.`,
    'If you meant to call a tool, call it now that way; if you are done, answer without any tool-call markup.',
  ].join('\n')
  return {
    text,
    note: {
      kind: 'unread_text_tool_call',
      detail: `${attempt.format} in the ${attempt.where}: ${attempt.problem}; the model was told how to call tools`,
    },
  }
}

/**
 * What to tell the model after a turn whose calls were read from its text while other calls in
 * the same text were not (the stream recorded them as `unread_text_tool_call`): the calls that
 * ran have their results, and the model must not believe the others ran too. Null otherwise.
 */
export function unreadCallsCorrection(
  turn: AssistantTurn,
  toolNames: readonly string[],
): Correction | null {
  if (turn.toolCalls.length === 0) return null
  const unread = (turn.repairs ?? []).filter((n) => n.kind === 'unread_text_tool_call')
  if (!unread.length) return null
  const text = [
    `[Paddock] Not every tool call your last message wrote as text was run. The calls that were read ran (their results are above); these were not: ${unread.map((n) => n.detail).join('; ')}.`,
    HOW_TO_CALL,
    `The tools offered are: ${toolNames.join(', ')}.`,
    'If you still need the calls that did not run, make them now that way.',
  ].join('\n')
  return { text }
}
