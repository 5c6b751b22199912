import {
  APP,
  APP_EDITED,
  HELLO,
  HELLO_EDITED,
  LINES,
  NOTE_CONTENT,
  RAN_ONCE,
  TWICE,
  TWICE_EDITED,
  WRITTEN,
} from '../fixtures'
import type { Scenario } from '../types'
import { json, oneCallRows } from '../wire'

/**
 * Arguments in shapes the tool schema does not take as they are: wrong types, other agents'
 * vocabulary, read output pasted into old_string, container paths, almost-JSON.
 */

const row = oneCallRows('arguments')

const LINES_EDITED = { 'lines.txt': 'alpha\nbeta\nGAMMA\ndelta\n' }

export const ARGUMENTS: Scenario[] = [
  row(
    'null-optional-field',
    'DeepSeek / Qwen send null for every optional field they do not use',
    'edit',
    json({ path: 'hello.txt', old_string: 'world', new_string: 'there', replace_all: null }),
    HELLO,
    HELLO_EDITED,
  ),
  row(
    'number-as-string',
    'GLM / Qwen3-Coder XML parsers without the schema: every value a string ("60000")',
    'bash',
    json({ command: 'echo ran >> ran.log', timeout_ms: '60000' }),
    {},
    RAN_ONCE,
  ),
  row(
    'boolean-as-string',
    'the same for a boolean: replace_all "true"',
    'edit',
    json({ path: 'twice.txt', old_string: 'x =', new_string: 'y =', replace_all: 'true' }),
    TWICE,
    TWICE_EDITED,
  ),
  row(
    'claude-code-file_path-edit',
    "models trained on Claude Code traces: 'file_path' for the path",
    'edit',
    json({ file_path: 'hello.txt', old_string: 'world', new_string: 'there' }),
    HELLO,
    HELLO_EDITED,
  ),
  row(
    'claude-code-file_path-write',
    "the same on write: {'file_path', 'content'}",
    'write',
    json({ file_path: 'notes.txt', content: NOTE_CONTENT }),
    {},
    WRITTEN,
  ),
  row(
    'old_str-new_str',
    "Anthropic's str_replace editor / OpenHands / SWE-agent vocabulary: 'old_str' and 'new_str'",
    'edit',
    json({ path: 'hello.txt', old_str: 'world', new_str: 'there' }),
    HELLO,
    HELLO_EDITED,
  ),
  row(
    'camelCase-oldString-newString',
    "opencode vocabulary: camelCase 'oldString' / 'newString'",
    'edit',
    json({ path: 'hello.txt', oldString: 'world', newString: 'there' }),
    HELLO,
    HELLO_EDITED,
  ),
  row(
    'camelCase-filePath',
    "opencode's write: camelCase 'filePath'",
    'write',
    json({ filePath: 'notes.txt', content: NOTE_CONTENT }),
    {},
    WRITTEN,
  ),
  row(
    'command-as-argv-array-bash-lc',
    "Codex-trained models: 'command' as an argv array ['bash', '-lc', '…']",
    'bash',
    json({ command: ['bash', '-lc', 'echo ran >> ran.log'] }),
    {},
    RAN_ONCE,
  ),
  row(
    'command-as-argv-array-plain',
    "an argv array without a shell: ['touch', 'made.txt']",
    'bash',
    json({ command: ['touch', 'made.txt'] }),
    {},
    { 'made.txt': '' },
  ),
  row(
    'old_string-with-read-line-number',
    "old_string copied from read's output with its cat -n prefix ('     3\\t')",
    'edit',
    json({ path: 'lines.txt', old_string: '     3\tgamma', new_string: 'GAMMA' }),
    LINES,
    LINES_EDITED,
  ),
  row(
    'old_string-with-read-line-numbers-multiline',
    'two lines of read output pasted with their prefixes; new_string without them',
    'edit',
    json({
      path: 'lines.txt',
      old_string: '     2\tbeta\n     3\tgamma',
      new_string: 'beta\nGAMMA',
    }),
    LINES,
    LINES_EDITED,
  ),
  row(
    'container-path-workspace',
    "agents trained in containers (OpenHands) write '/workspace/<file>'",
    'edit',
    json({ path: '/workspace/hello.txt', old_string: 'world', new_string: 'there' }),
    HELLO,
    HELLO_EDITED,
  ),
  row(
    'container-path-testbed',
    "SWE-bench-trained models write '/testbed/<file>'",
    'edit',
    json({ path: '/testbed/src/app.py', old_string: 'return "hi"', new_string: 'return "hello"' }),
    APP,
    APP_EDITED,
  ),
  row(
    'fenced-json-arguments',
    'Qwen2.5-Coder / DeepSeek wrap the arguments in a ```json fence',
    'edit',
    '```json\n{"path": "hello.txt", "old_string": "world", "new_string": "there"}\n```',
    HELLO,
    HELLO_EDITED,
  ),
  row(
    'trailing-prose-after-json',
    'small models keep talking after the arguments object',
    'edit',
    '{"path": "hello.txt", "old_string": "world", "new_string": "there"}\n\nThis replaces the word.',
    HELLO,
    HELLO_EDITED,
  ),
  row(
    'comments-in-json',
    'JSON with // and /* */ comments (JS-trained fine-tunes)',
    'edit',
    '{\n  // the file\n  "path": "hello.txt",\n  /* exact text */ "old_string": "world",\n  "new_string": "there"\n}',
    HELLO,
    HELLO_EDITED,
  ),
  row(
    'extra-description-key',
    "Claude Code's Bash takes a 'description'; models trained on it send one",
    'bash',
    json({ command: 'echo ran >> ran.log', description: 'Append a line to ran.log' }),
    {},
    RAN_ONCE,
  ),
]
