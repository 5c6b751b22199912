import { toldMatches } from '../checks'
import { BASH, EDIT, HELLO, HELLO_EDITED, RAN_ONCE, WRITE, WRITTEN } from '../fixtures'
import type { Scenario } from '../types'
import { json, oneCallRows } from '../wire'

/**
 * Tool names as open models and their servers really send them: Kimi's call id in the name,
 * another agent's names and casing, namespaces, template markup leaked into the name, or no name.
 */

const row = oneCallRows('names')

/** GLM's argument markup inside the name, arguments left empty (vLLM glm45 parser bug). */
const GLM_NAME =
  'edit\n<arg_key>path</arg_key>\n<arg_value>hello.txt</arg_value>\n' +
  '<arg_key>old_string</arg_key>\n<arg_value>world</arg_value>\n' +
  '<arg_key>new_string</arg_key>\n<arg_value>there</arg_value>'

export const NAMES: Scenario[] = [
  row(
    'kimi-id-as-name-edit',
    'Kimi K2 behind a parser that copies the call id into the name: "functions.edit:0"',
    'functions.edit:0',
    json(EDIT),
    HELLO,
    HELLO_EDITED,
  ),
  row(
    'kimi-id-as-name-read',
    'the same for read: "functions.read:0"; the model must get the file back',
    'functions.read:0',
    json({ path: 'hello.txt' }),
    HELLO,
    {},
    [toldMatches(1, /Hello world/, 'tool')],
  ),
  row(
    'claude-code-name-Write',
    "models fine-tuned on Claude Code traces call 'Write' (capitalised)",
    'Write',
    json(WRITE),
    {},
    WRITTEN,
  ),
  row(
    'claude-code-name-Bash',
    "models fine-tuned on Claude Code traces call 'Bash'",
    'Bash',
    json(BASH),
    {},
    RAN_ONCE,
  ),
  row(
    'alias-write_file',
    "Qwen-Agent / Gemini CLI vocabulary: 'write_file'",
    'write_file',
    json(WRITE),
    {},
    WRITTEN,
  ),
  row(
    'alias-run_shell_command',
    "Gemini CLI vocabulary: 'run_shell_command'",
    'run_shell_command',
    json(BASH),
    {},
    RAN_ONCE,
  ),
  row(
    'default_api-prefix',
    "Gemma / Gemini-style namespace: 'default_api:edit'",
    'default_api:edit',
    json(EDIT),
    HELLO,
    HELLO_EDITED,
  ),
  row(
    'functions-dot-prefix',
    "gpt-oss through LM Studio: the harmony recipient kept as the name, 'functions.write'",
    'functions.write',
    json(WRITE),
    {},
    WRITTEN,
  ),
  row(
    'harmony-channel-in-name',
    "gpt-oss on vLLM: '<|channel|>commentary' left after the name ('write<|channel|>commentary')",
    'write<|channel|>commentary',
    json(WRITE),
    {},
    WRITTEN,
  ),
  row(
    'name-with-trailing-newline',
    'GLM on mlx_lm.server: the name captured with its newline, "edit\\n" (mlx-lm#1612, #1756)',
    'edit\n',
    json(EDIT),
    HELLO,
    HELLO_EDITED,
  ),
  row(
    'glm-arg-value-token-in-name',
    'GLM 5.x on Fireworks, a no-argument call: "</arg_value>" appended to the name (fw-ai python-sdk#119)',
    'ls</arg_value>',
    '{}',
    HELLO,
    {},
    [toldMatches(1, /hello\.txt/, 'tool')],
  ),
  row(
    'glm-arg-markup-in-name',
    'GLM-4.5 on vLLM: the <arg_key>/<arg_value> markup leaked into the name, arguments "{}"',
    GLM_NAME,
    '{}',
    HELLO,
    HELLO_EDITED,
  ),
  row(
    'no-name-args-fit-edit',
    'a call with arguments but an empty name (streamed name lost by a proxy): only edit takes path + old_string + new_string',
    '',
    json(EDIT),
    HELLO,
    HELLO_EDITED,
  ),
  row(
    'no-name-args-fit-bash',
    'the same with {"command": …}: only bash has a command argument',
    '',
    json(BASH),
    {},
    RAN_ONCE,
  ),
]
