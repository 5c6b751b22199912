import { findAttemptedToolCall } from '../providers/text-tool-calls'
import type { AssistantTurn } from '../providers/types'

/** Paddock's message to a model that tried to call a tool in a form that was not read. */
export interface Correction {
  /** The `user_message` (kind `correction`) the model is sent. */
  text: string
  /** The repair note recorded beside it. */
  note: { kind: 'unread_text_tool_call'; detail: string }
}

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
    'To use a tool, call it through the tool-calling interface (a structured function call with JSON arguments), not as text or markup in your message.',
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
