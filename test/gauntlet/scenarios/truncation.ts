import { callsSentBack, toldMatches } from '../checks'
import { BASH, RAN_ONCE, WRITE, WRITTEN } from '../fixtures'
import type { Scenario } from '../types'
import { DONE, callTurn, json, textTurn } from '../wire'

/**
 * Calls that cannot run as sent, where the intended handling is a second chance: the model is
 * told what went wrong (the output limit, or a call written in a form that could not be read) and
 * calls again correctly. These scenarios script that second call; nothing may run twice.
 */

const LIMIT = /limit|max_tokens|length|cut off|truncat/i
/** What a correction (or the failed call's error) talks about. */
const HOW_TO_CALL = /JSON|tool|call|format|argument/i
const WRITE_JSON = json(WRITE)
const BASH_JSON = json(BASH)

export const TRUNCATION: Scenario[] = [
  {
    id: 'length-cut-write-arguments',
    group: 'truncation',
    why: 'any model at max_tokens mid-call: finish_reason "length" with the arguments cut off; strict server for the replay',
    files: WRITTEN,
    strict: { historyArguments: true },
    told: [toldMatches(1, LIMIT)],
    turns: (c) => [
      callTurn(c, [{ name: 'write', args: WRITE_JSON.slice(0, 30) }], 'length'),
      callTurn(c, [{ name: 'write', args: WRITE_JSON }]),
      DONE,
    ],
  },
  {
    id: 'length-cut-bash-arguments',
    group: 'truncation',
    why: 'a bash call cut at the limit must never run; the retry runs once',
    files: RAN_ONCE,
    strict: { historyArguments: true },
    told: [toldMatches(1, LIMIT), callsSentBack(1, 1)],
    turns: (c) => [
      callTurn(c, [{ name: 'bash', args: BASH_JSON.slice(0, 20) }], 'length'),
      callTurn(c, [{ name: 'bash', args: BASH_JSON }]),
      DONE,
    ],
  },
  {
    id: 'length-cut-text-call',
    group: 'truncation',
    why: 'Qwen on llama.cpp without a parser hitting max_tokens inside a <tool_call> written as text',
    files: WRITTEN,
    told: [toldMatches(1, LIMIT)],
    turns: (c) => [
      textTurn(
        c,
        `<tool_call>\n{"name": "write", "arguments": ${WRITE_JSON.slice(0, 30)}`,
        'length',
      ),
      callTurn(c, [{ name: 'write', args: WRITE_JSON }]),
      DONE,
    ],
  },
  {
    id: 'unparseable-hermes-call-in-text',
    group: 'correction',
    why: 'a <tool_call> whose JSON has a key with no value: cannot be read, so the model is told how to call tools, once',
    files: WRITTEN,
    told: [toldMatches(1, HOW_TO_CALL)],
    turns: (c) => [
      textTurn(
        c,
        '<tool_call>\n{"name": "write", "arguments": {"path": "notes.txt", "content": }}\n</tool_call>',
      ),
      callTurn(c, [{ name: 'write', args: WRITE_JSON }]),
      DONE,
    ],
  },
  {
    id: 'unparseable-kimi-section-broken-json',
    group: 'correction',
    why: 'Kimi K2 section tokens around arguments that are not JSON (a key with no value): the model is told, then calls properly',
    files: WRITTEN,
    told: [toldMatches(1, HOW_TO_CALL)],
    turns: (c) => [
      textTurn(
        c,
        '<|tool_calls_section_begin|><|tool_call_begin|>functions.write:0<|tool_call_argument_begin|>{"path": "notes.txt", "content": }<|tool_call_end|><|tool_calls_section_end|>',
      ),
      callTurn(c, [{ name: 'write', args: WRITE_JSON }]),
      DONE,
    ],
  },
  {
    id: 'unparseable-mistral-array-stopped',
    group: 'correction',
    why: 'Mistral [TOOL_CALLS] whose JSON array stops half-way with finish_reason "stop" (not the limit)',
    files: WRITTEN,
    told: [toldMatches(1, HOW_TO_CALL)],
    turns: (c) => [
      textTurn(
        c,
        '[TOOL_CALLS] [{"name": "write", "arguments": {"path": "notes.txt", "content": "fir',
      ),
      callTurn(c, [{ name: 'write', args: WRITE_JSON }]),
      DONE,
    ],
  },
]
