import type { ReplyTurn } from '../../support/fake-llm'
import { contentLacks, reasoningSentBack } from '../checks'
import { EDIT, HELLO, HELLO_EDITED, WRITE, WRITTEN } from '../fixtures'
import type { Scenario } from '../types'
import { DONE, callChunks, chunk, end, json, open, say, think } from '../wire'

/**
 * Reasoning on the wire: thinking models that want their reasoning back on the assistant
 * tool-call message (Kimi K2, DeepSeek in thinking mode answer 400 without it), reasoning in the
 * `delta.reasoning` field, and a template that pre-fills `<think>` so only `</think>` is streamed.
 */

const KIMI_THOUGHT =
  'The user wants the greeting in hello.txt changed from "world" to "there". I will use the edit tool.'
const DEEPSEEK_THOUGHT =
  'I need to create notes.txt with two lines. The write tool creates the file; no need to read first.'

export const REASONING: Scenario[] = [
  {
    id: 'kimi-k2-thinking-strict-reasoning-content',
    group: 'reasoning',
    why: 'Kimi K2 thinking: the API answers 400 "thinking is enabled but reasoning_content is missing in assistant tool call message" (mastra#12592, eino-ext#700)',
    seed: HELLO,
    files: HELLO_EDITED,
    strict: { reasoningContent: true, historyArguments: true },
    told: [reasoningSentBack(1, 'reasoning_content', KIMI_THOUGHT)],
    turns: (c) => [
      {
        reasoning: c(KIMI_THOUGHT),
        reasoningField: 'reasoning_content',
        toolCalls: [{ id: 'functions.edit:0', name: 'edit', arguments: json(EDIT) }],
        argumentChunkSize: c(json(EDIT))[0]?.length,
      } satisfies ReplyTurn,
      DONE,
    ],
  },
  {
    id: 'deepseek-thinking-strict-reasoning-content',
    group: 'reasoning',
    why: 'DeepSeek V3.2 thinking mode with tools: reasoning_content must be passed back within the tool-call sub-turn, else 400',
    files: WRITTEN,
    strict: { reasoningContent: true, historyArguments: true },
    told: [reasoningSentBack(1, 'reasoning_content', DEEPSEEK_THOUGHT)],
    turns: (c) => [
      {
        reasoning: c(DEEPSEEK_THOUGHT),
        reasoningField: 'reasoning_content',
        toolCalls: [{ id: 'call_00_8fXbS2mQ1kR7', name: 'write', arguments: json(WRITE) }],
        argumentChunkSize: c(json(WRITE))[0]?.length,
      } satisfies ReplyTurn,
      DONE,
    ],
  },
  {
    id: 'reasoning-content-sent-back-unknown-model',
    group: 'reasoning',
    why: 'Qwen3 on vLLM (reasoning parser qwen3), a model the catalog does not know: its reasoning_content goes back on the tool-call message',
    seed: HELLO,
    files: HELLO_EDITED,
    told: [reasoningSentBack(1, 'reasoning_content', KIMI_THOUGHT)],
    turns: (c) => [
      {
        rawChunks: [
          open(),
          ...think(c, KIMI_THOUGHT),
          ...callChunks(c, { index: 0, id: 'chatcmpl-tool-4d1e', name: 'edit', args: json(EDIT) }),
          end('tool_calls'),
        ],
      },
      DONE,
    ],
  },
  {
    id: 'delta-reasoning-field-sent-back',
    group: 'reasoning',
    why: 'OpenRouter / vLLM >= 0.10 / Ollama stream reasoning as delta.reasoning: it goes back in that same field',
    files: WRITTEN,
    told: [reasoningSentBack(1, 'reasoning', DEEPSEEK_THOUGHT)],
    turns: (c) => [
      {
        rawChunks: [
          open(),
          ...think(c, DEEPSEEK_THOUGHT, 'reasoning'),
          ...callChunks(c, { index: 0, id: 'call_Wq81', name: 'write', args: json(WRITE) }),
          end('tool_calls'),
        ],
      },
      DONE,
    ],
  },
  {
    id: 'kimi-k2-thinking-strict-two-tool-turns',
    group: 'reasoning',
    why: 'Kimi K2.5 thinking over several steps: every earlier assistant tool-call message needs its reasoning_content ("… at index 13", QwenPaw#433)',
    seed: HELLO,
    files: { ...HELLO_EDITED, ...WRITTEN },
    strict: { reasoningContent: true, historyArguments: true },
    told: [reasoningSentBack(2, 'reasoning_content', DEEPSEEK_THOUGHT)],
    turns: (c) => [
      {
        reasoning: c(KIMI_THOUGHT),
        reasoningField: 'reasoning_content',
        toolCalls: [{ id: 'functions.edit:0', name: 'edit', arguments: json(EDIT) }],
        argumentChunkSize: c(json(EDIT))[0]?.length,
      } satisfies ReplyTurn,
      {
        reasoning: c(DEEPSEEK_THOUGHT),
        reasoningField: 'reasoning_content',
        toolCalls: [{ id: 'functions.write:1', name: 'write', arguments: json(WRITE) }],
        argumentChunkSize: c(json(WRITE))[0]?.length,
      } satisfies ReplyTurn,
      DONE,
    ],
  },
  {
    id: 'lone-think-close-before-structured-call',
    group: 'reasoning',
    why: 'Qwen3 / DeepSeek-R1 templates that pre-fill <think>: the content starts with the reasoning and a lone </think>, then a structured call',
    files: WRITTEN,
    told: [contentLacks(1, /<\/think>|I need to create notes/)],
    turns: (c) => [
      {
        rawChunks: [
          open(),
          ...say(c, `${DEEPSEEK_THOUGHT}\n</think>\n\n`),
          ...callChunks(c, { index: 0, id: 'call_lt1', name: 'write', args: json(WRITE) }),
          end('tool_calls'),
        ],
      },
      DONE,
    ],
  },
  {
    id: 'lone-think-close-then-hermes-text-call',
    group: 'reasoning',
    why: 'Qwen3 on llama.cpp with a pre-filled <think>: reasoning, </think>, then the call as <tool_call> text',
    seed: HELLO,
    files: HELLO_EDITED,
    told: [contentLacks(1, /<\/think>/)],
    turns: (c) => [
      {
        rawChunks: [
          chunk({ role: 'assistant', content: '' }),
          ...say(
            c,
            `${KIMI_THOUGHT}</think>\n\n<tool_call>\n{"name": "edit", "arguments": ${json(EDIT)}}\n</tool_call>`,
          ),
          end('stop'),
        ],
      },
      DONE,
    ],
  },
]
