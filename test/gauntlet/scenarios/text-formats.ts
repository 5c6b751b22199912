import {
  BASH,
  EDIT,
  HELLO,
  HELLO_EDITED,
  NOTE_CONTENT,
  RAN_ONCE,
  WRITE,
  WRITTEN,
} from '../fixtures'
import type { Scenario } from '../types'
import { DONE, end, json, open, say, textTurn, think } from '../wire'

/**
 * Tool calls written into the message text, in each open model's own format, by a server whose
 * tool parser is off, missing or wrong for the model (LM Studio, Ollama, llama.cpp without
 * `--jinja`, vLLM without `--tool-call-parser`, gateways). The server says `finish_reason: "stop"`
 * and sends no `tool_calls`: the call is only in the text.
 */

const EDIT_JSON = json(EDIT)
const WRITE_JSON = json(WRITE)
const BASH_JSON = json(BASH)

/** Qwen3-Coder's XML: one newline after the opening and before the closing parameter tag. */
const QWEN_EDIT =
  '<function=edit>\n<parameter=path>\nhello.txt\n</parameter>\n' +
  '<parameter=old_string>\nworld\n</parameter>\n<parameter=new_string>\nthere\n</parameter>\n' +
  '</function>'

/** GLM-4.5/4.6: the name on the first line, then key/value pairs. */
const GLM_EDIT =
  '<tool_call>edit\n<arg_key>path</arg_key>\n<arg_value>hello.txt</arg_value>\n' +
  '<arg_key>old_string</arg_key>\n<arg_value>world</arg_value>\n' +
  '<arg_key>new_string</arg_key>\n<arg_value>there</arg_value>\n</tool_call>'

const DS = {
  begin: '<｜tool▁calls▁begin｜>',
  callBegin: '<｜tool▁call▁begin｜>',
  sep: '<｜tool▁sep｜>',
  callEnd: '<｜tool▁call▁end｜>',
  end: '<｜tool▁calls▁end｜>',
}

function row(
  id: string,
  why: string,
  text: string,
  seed: Record<string, string>,
  files: Scenario['files'],
): Scenario {
  return { id, group: 'text-format', why, seed, files, turns: (c) => [textTurn(c, text), DONE] }
}

export const TEXT_FORMATS: Scenario[] = [
  row(
    'hermes-json-in-content',
    'Qwen2.5 / Hermes template through llama.cpp without --jinja: <tool_call>{json}</tool_call> as text',
    `<tool_call>\n{"name": "edit", "arguments": ${EDIT_JSON}}\n</tool_call>`,
    HELLO,
    HELLO_EDITED,
  ),
  row(
    'hermes-after-prose-two-calls',
    'Qwen3 via Ollama raw mode: a sentence, then two <tool_call> blocks (parallel calls) as text',
    `I'll write the notes and then run the command.\n\n<tool_call>\n{"name": "write", "arguments": ${WRITE_JSON}}\n</tool_call>\n<tool_call>\n{"name": "bash", "arguments": ${BASH_JSON}}\n</tool_call>`,
    {},
    { ...WRITTEN, ...RAN_ONCE },
  ),
  row(
    'qwen3-coder-xml',
    'Qwen3-Coder XML (<function=…><parameter=…>) where the server has no qwen3_coder parser (LM Studio, vLLM without --tool-call-parser)',
    `<tool_call>\n${QWEN_EDIT}\n</tool_call>`,
    HELLO,
    HELLO_EDITED,
  ),
  row(
    'qwen3-coder-xml-multiline-value',
    'Qwen3-Coder XML writing a multi-line file: the value keeps its inner newlines, loses the one after/before the tags',
    `<tool_call>\n<function=write>\n<parameter=path>\nnotes.txt\n</parameter>\n<parameter=content>\n${NOTE_CONTENT}\n</parameter>\n</function>\n</tool_call>`,
    {},
    WRITTEN,
  ),
  row(
    'qwen3-coder-xml-without-opening-tag',
    'qwen3-coder:30b drops the opening <tool_call> after a preamble, keeps the closing one (ollama#16686, ollama#18530)',
    `I'll update the greeting.\n\n${QWEN_EDIT}\n</tool_call>`,
    HELLO,
    HELLO_EDITED,
  ),
  row(
    'glm45-arg-key-value',
    'GLM-4.5/4.6 <arg_key>/<arg_value> markup as text (vLLM without glm45 parser, mlx_lm.server)',
    GLM_EDIT,
    HELLO,
    HELLO_EDITED,
  ),
  row(
    'glm45-boolean-arg-value',
    'GLM-4.5 markup whose value is a JSON literal (replace_all true), as the glm45 parser deserializes non-string params',
    '<tool_call>edit\n<arg_key>path</arg_key>\n<arg_value>twice.txt</arg_value>\n<arg_key>old_string</arg_key>\n<arg_value>x =</arg_value>\n<arg_key>new_string</arg_key>\n<arg_value>y =</arg_value>\n<arg_key>replace_all</arg_key>\n<arg_value>true</arg_value>\n</tool_call>',
    { 'twice.txt': 'x = 1\nx = 2\n' },
    { 'twice.txt': 'y = 1\ny = 2\n' },
  ),
  row(
    'llama3-bare-json-parameters',
    'Llama 3.1/3.3 JSON tool calling: a bare {"name", "parameters"} object as the whole content (Ollama, Groq passthrough)',
    `{"name": "write", "parameters": ${WRITE_JSON}}`,
    {},
    WRITTEN,
  ),
  row(
    'llama3-python-tag',
    'Llama 3.1 <|python_tag|> followed by the JSON call, the tag left in by the server',
    `<|python_tag|>{"name": "bash", "parameters": ${BASH_JSON}}`,
    {},
    RAN_ONCE,
  ),
  row(
    'llama3-python-tag-eom',
    'Llama 3.1 python_tag call ending in <|eom_id|> (the end-of-message token for tool calls) left in the text',
    `<|python_tag|>{"name": "edit", "parameters": ${EDIT_JSON}}<|eom_id|>`,
    HELLO,
    HELLO_EDITED,
  ),
  row(
    'qwen3-bare-json-arguments',
    'qwen3:32b on Ollama 0.9.2 answers the call as bare {"name", "arguments"} JSON in content (ollama#11185)',
    `{"name": "edit", "arguments": ${EDIT_JSON}}`,
    HELLO,
    HELLO_EDITED,
  ),
  row(
    'mistral-tool-calls-array',
    'Mistral 7B v0.3 / Mixtral (tokenizer v3): [TOOL_CALLS] then a JSON array of calls, in content',
    `[TOOL_CALLS] [{"name": "write", "arguments": ${WRITE_JSON}}]`,
    {},
    WRITTEN,
  ),
  row(
    'mistral-nemo-array-with-id',
    'Mistral Nemo: [TOOL_CALLS][{…, "id": "<9 chars>"}] with no space, as llama.cpp mistral-nemo emits',
    `[TOOL_CALLS][{"name": "edit", "arguments": ${EDIT_JSON}, "id": "a1B2c3D4e"}]`,
    HELLO,
    HELLO_EDITED,
  ),
  row(
    'mistral-v11-name-args',
    'Mistral Small 3.2 / Devstral (tokenizer v11+): [TOOL_CALLS]name[ARGS]{json} in content',
    `[TOOL_CALLS]bash[ARGS]${BASH_JSON}`,
    {},
    RAN_ONCE,
  ),
  row(
    'deepseek-v3-tokens',
    'DeepSeek V3 / R1 native tokens: function<｜tool▁sep｜>name and a ```json fence',
    `${DS.begin}${DS.callBegin}function${DS.sep}edit\n\`\`\`json\n${EDIT_JSON}\n\`\`\`${DS.callEnd}${DS.end}`,
    HELLO,
    HELLO_EDITED,
  ),
  row(
    'deepseek-v31-tokens',
    'DeepSeek V3.1: name<｜tool▁sep｜>{json}, no type, no fence',
    `${DS.begin}${DS.callBegin}write${DS.sep}${WRITE_JSON}${DS.callEnd}${DS.end}`,
    {},
    WRITTEN,
  ),
  row(
    'deepseek-v31-prose-then-two-calls',
    'DeepSeek V3.1 through a gateway without its parser: prose, then two calls in one section',
    `I'll write the notes, then run the command.\n\n${DS.begin}${DS.callBegin}write${DS.sep}${WRITE_JSON}${DS.callEnd}${DS.callBegin}bash${DS.sep}${BASH_JSON}${DS.callEnd}${DS.end}`,
    {},
    { ...WRITTEN, ...RAN_ONCE },
  ),
  row(
    'kimi-k2-section-tokens',
    'Kimi K2 native section tokens with the functions.name:idx id (vLLM without kimi_k2 parser)',
    `<|tool_calls_section_begin|><|tool_call_begin|>functions.edit:0<|tool_call_argument_begin|>${EDIT_JSON}<|tool_call_end|><|tool_calls_section_end|>`,
    HELLO,
    HELLO_EDITED,
  ),
  row(
    'kimi-k2-two-calls-with-newlines',
    'Kimi K2 via ik_llama.cpp: two calls in one section, each token on its own line',
    `<|tool_calls_section_begin|>\n<|tool_call_begin|>\nfunctions.write:0<|tool_call_argument_begin|>\n${WRITE_JSON}\n<|tool_call_end|>\n<|tool_call_begin|>\nfunctions.bash:1<|tool_call_argument_begin|>\n${BASH_JSON}\n<|tool_call_end|>\n<|tool_calls_section_end|>`,
    {},
    { ...WRITTEN, ...RAN_ONCE },
  ),
  row(
    'harmony-commentary-to-functions',
    'gpt-oss harmony leftovers in content: <|channel|>commentary to=functions.write <|constrain|>json<|message|>{…}<|call|> (LM Studio bug-tracker#942)',
    `<|channel|>commentary to=functions.write <|constrain|>json<|message|>${WRITE_JSON}<|call|>`,
    {},
    WRITTEN,
  ),
  row(
    'harmony-analysis-then-call',
    'gpt-oss on a server without the harmony parser: an analysis message, then <|start|>assistant…to=functions.edit (mlxcel#654)',
    `<|channel|>analysis<|message|>Need to change world to there in hello.txt.<|end|><|start|>assistant<|channel|>commentary to=functions.edit <|constrain|>json<|message|>${EDIT_JSON}<|call|>`,
    HELLO,
    HELLO_EDITED,
  ),
  row(
    'harmony-without-constrain',
    'gpt-oss harmony call without the optional <|constrain|>json part',
    `<|start|>assistant<|channel|>commentary to=functions.bash<|message|>${BASH_JSON}<|call|>`,
    {},
    RAN_ONCE,
  ),
  {
    id: 'hermes-call-in-reasoning-content',
    group: 'text-format',
    why: 'Qwen3 on vLLM with the qwen3 reasoning parser: no </think> before the call, so the <tool_call> lands in delta.reasoning_content',
    seed: HELLO,
    files: HELLO_EDITED,
    turns: (c) => [
      {
        rawChunks: [
          open(),
          ...think(
            c,
            `The user wants "world" changed to "there" in hello.txt.\n\n<tool_call>\n{"name": "edit", "arguments": ${EDIT_JSON}}\n</tool_call>`,
          ),
          end('stop'),
        ],
      },
      DONE,
    ],
  },
  {
    id: 'hermes-call-in-delta-reasoning',
    group: 'text-format',
    why: 'the same through OpenRouter / Ollama, whose reasoning field is delta.reasoning',
    files: WRITTEN,
    turns: (c) => [
      {
        rawChunks: [
          open(),
          ...think(
            c,
            `I should create notes.txt.\n<tool_call>\n{"name": "write", "arguments": ${WRITE_JSON}}\n</tool_call>`,
            'reasoning',
          ),
          end('stop'),
        ],
      },
      DONE,
    ],
  },
  {
    id: 'kimi-section-in-reasoning-content',
    group: 'text-format',
    why: 'Kimi-K2-Thinking: the tool-call section emitted inside reasoning_content (litellm kimi_k2 parser reads both fields)',
    seed: HELLO,
    files: HELLO_EDITED,
    turns: (c) => [
      {
        rawChunks: [
          open(),
          ...think(
            c,
            `Change the greeting.<|tool_calls_section_begin|><|tool_call_begin|>functions.edit:0<|tool_call_argument_begin|>${EDIT_JSON}<|tool_call_end|><|tool_calls_section_end|>`,
          ),
          end('stop'),
        ],
      },
      DONE,
    ],
  },
  {
    id: 'inline-think-then-hermes',
    group: 'text-format',
    why: 'QwQ / Qwen3 distills through a gateway: a leading <think> block in content, then a <tool_call>',
    seed: HELLO,
    files: HELLO_EDITED,
    turns: (c) => [
      {
        rawChunks: [
          open(),
          ...say(
            c,
            `<think>\nThe greeting should say there.\n</think>\n\n<tool_call>\n{"name": "edit", "arguments": ${EDIT_JSON}}\n</tool_call>`,
          ),
          end('stop'),
        ],
      },
      DONE,
    ],
  },
]
