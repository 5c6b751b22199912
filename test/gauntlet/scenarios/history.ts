import { callsSentBack, toldMatches } from '../checks'
import { EDIT, HELLO, HELLO_EDITED, TWICE, TWICE_EDITED, WRITTEN } from '../fixtures'
import type { Scenario } from '../types'
import { DONE, callTurn, json, oneCallRows } from '../wire'

/**
 * Arguments Paddock repairs before running the call, against a strict server (vLLM,
 * llama-server) that refuses any later request whose history holds tool-call arguments that are
 * not valid JSON. The repaired call must run, and the next request must be accepted: the history
 * carries the arguments as executed.
 */

const row = oneCallRows('history', {
  strict: { historyArguments: true },
  told: [callsSentBack(1, 1)],
})

export const HISTORY: Scenario[] = [
  row(
    'history-trailing-comma',
    'DeepSeek V3 / GLM: a trailing comma before the closing brace; vLLM then rejects the replayed history',
    'edit',
    '{"path": "hello.txt", "old_string": "world", "new_string": "there",}',
    HELLO,
    HELLO_EDITED,
  ),
  row(
    'history-single-quotes',
    'Llama 3.x / small Qwen: a Python-dict repr with single quotes instead of JSON',
    'write',
    "{'path': 'notes.txt', 'content': 'first line\\nsecond line\\n'}",
    {},
    WRITTEN,
  ),
  row(
    'history-python-true',
    'Qwen2.5 / Hermes-format models writing Python True for a boolean',
    'edit',
    '{"path": "twice.txt", "old_string": "x =", "new_string": "y =", "replace_all": True}',
    TWICE,
    TWICE_EDITED,
  ),
  row(
    'history-python-none',
    'Python None for an optional field (models trained on Python tool traces)',
    'edit',
    '{"path": "hello.txt", "old_string": "world", "new_string": "there", "replace_all": None}',
    HELLO,
    HELLO_EDITED,
  ),
  row(
    'history-unquoted-keys',
    'JavaScript-style object with unquoted keys (small Llama / Mistral fine-tunes)',
    'edit',
    '{path: "hello.txt", old_string: "world", new_string: "there"}',
    HELLO,
    HELLO_EDITED,
  ),
  row(
    'history-wrapped-name-arguments',
    'Llama 3.1 via a gateway: the whole {"name", "arguments"} object sent as the arguments',
    'edit',
    `{"name": "edit", "arguments": ${json(EDIT)}}`,
    HELLO,
    HELLO_EDITED,
  ),
  row(
    'history-double-encoded',
    'Gateways that JSON-encode the arguments string twice (a JSON string holding the object)',
    'edit',
    JSON.stringify(json(EDIT)),
    HELLO,
    HELLO_EDITED,
  ),
  {
    id: 'history-empty-string-arguments',
    group: 'history',
    why: 'vLLM hermes / Ollama send arguments "" for a call without arguments; replayed as "" a strict server fails to parse it',
    seed: HELLO,
    files: {},
    strict: { historyArguments: true },
    told: [callsSentBack(1, 1), toldMatches(1, /hello\.txt/, 'tool')],
    turns: (c) => [callTurn(c, [{ name: 'ls', args: '' }]), DONE],
  },
]
