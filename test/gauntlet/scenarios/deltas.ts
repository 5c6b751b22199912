import type { ReplyTurn } from '../../support/fake-llm'
import { callsSentBack, toldMatches } from '../checks'
import { BASH, HELLO, RAN_ONCE, WRITE, WRITTEN } from '../fixtures'
import type { Chunker, Scenario } from '../types'
import type { Delta } from '../wire'
import { DONE, callChunks, chunk, end, fragments, header, json, open, say } from '../wire'

/**
 * The ways servers bend the streaming tool-call deltas: arguments repeated or cumulative, calls
 * sharing an index, missing index / id / finish_reason, names repeated, arguments as an object.
 */

const BASH_JSON = json(BASH)
const WRITE_JSON = json(WRITE)
const OTHER = { path: 'other.txt', content: 'other\n' }

/** A turn of the given deltas (each its own chunk), opened and finished as vLLM does. */
function deltasTurn(deltas: Delta[], finish: string | null = 'tool_calls'): ReplyTurn {
  const chunks = [
    chunk({ role: 'assistant', content: null }),
    ...deltas.map((d) => chunk({ tool_calls: [d] })),
  ]
  if (finish !== null) chunks.push(end(finish))
  return { rawChunks: chunks }
}

/** Deltas that each carry the whole text so far, as some gateways send them. */
function cumulative(c: Chunker, id: string, name: string, args: string): Delta[] {
  let sofar = ''
  const deltas: Delta[] = [header({ index: 0, id, name, args })]
  for (const piece of c(args)) {
    sofar += piece
    deltas.push({ index: 0, function: { arguments: sofar } })
  }
  return deltas
}

function row(
  id: string,
  why: string,
  turn: (c: Chunker) => ReplyTurn,
  seed: Record<string, string>,
  files: Scenario['files'],
  told: Scenario['told'] = [],
): Scenario {
  return { id, group: 'deltas', why, seed, files, told, turns: (c) => [turn(c), DONE] }
}

export const DELTAS: Scenario[] = [
  row(
    'args-resent-in-full-after-complete',
    'gateways that stream the argument fragments, then send the whole string again (elizaOS#16973, OmniRoute#3762): bash must run once',
    (c) => {
      const call = { index: 0, id: 'call_rs1', name: 'bash', args: BASH_JSON }
      return deltasTurn([
        header(call),
        ...fragments(c, call),
        { index: 0, function: { arguments: BASH_JSON } },
      ])
    },
    {},
    RAN_ONCE,
    [callsSentBack(1, 1)],
  ),
  row(
    'args-resent-with-id-and-name',
    'a consolidated final delta repeating id, name and the full arguments after the fragments (Gemini-compat proxies)',
    (c) => {
      const call = { index: 0, id: 'call_rs2', name: 'bash', args: BASH_JSON }
      return deltasTurn([
        header(call),
        ...fragments(c, call),
        {
          index: 0,
          id: 'call_rs2',
          type: 'function',
          function: { name: 'bash', arguments: BASH_JSON },
        },
      ])
    },
    {},
    RAN_ONCE,
    [callsSentBack(1, 1)],
  ),
  row(
    'cumulative-argument-deltas',
    'every delta carries the whole argument text so far instead of the new part',
    (c) => deltasTurn(cumulative(c, 'call_cu1', 'bash', BASH_JSON)),
    {},
    RAN_ONCE,
    [callsSentBack(1, 1)],
  ),
  row(
    'cumulative-argument-deltas-multiline',
    'cumulative deltas for a multi-line write (the text so far repeats escaped newlines)',
    (c) => deltasTurn(cumulative(c, 'call_cu2', 'write', WRITE_JSON)),
    {},
    WRITTEN,
  ),
  row(
    'parallel-calls-share-index-0',
    'parallel calls all streamed with index 0 but different ids (the issue: read + bash fused into "readbash")',
    (c) => {
      const read = { index: 0, id: 'call_p1', name: 'read', args: json({ path: 'hello.txt' }) }
      const bash = { index: 0, id: 'call_p2', name: 'bash', args: BASH_JSON }
      return deltasTurn([header(read), ...fragments(c, read), header(bash), ...fragments(c, bash)])
    },
    HELLO,
    RAN_ONCE,
    [callsSentBack(1, 2)],
  ),
  row(
    'parallel-writes-share-index-0',
    'two write calls on index 0 with their own ids (Ollama-style parallel calls through a proxy)',
    (c) => {
      const a = { index: 0, id: 'call_w1', name: 'write', args: WRITE_JSON }
      const b = { index: 0, id: 'call_w2', name: 'write', args: json(OTHER) }
      return deltasTurn([header(a), ...fragments(c, a), header(b), ...fragments(c, b)])
    },
    {},
    { ...WRITTEN, 'other.txt': 'other\n' },
    [callsSentBack(1, 2)],
  ),
  row(
    'deltas-without-index',
    'older vLLM / Ollama: tool-call deltas with no index at all',
    (c) => {
      const call = { id: 'call_ni1', name: 'bash', args: BASH_JSON }
      return deltasTurn([header(call), ...fragments(c, call)])
    },
    {},
    RAN_ONCE,
  ),
  row(
    'parallel-deltas-without-index',
    'two calls whose deltas have no index; only the ids tell them apart',
    (c) => {
      const a = { id: 'call_ni2', name: 'write', args: WRITE_JSON }
      const b = { id: 'call_ni3', name: 'bash', args: BASH_JSON }
      return deltasTurn([header(a), ...fragments(c, a), header(b), ...fragments(c, b)])
    },
    {},
    { ...WRITTEN, ...RAN_ONCE },
    [callsSentBack(1, 2)],
  ),
  row(
    'deltas-without-id',
    'llama.cpp / LM Studio builds that send no tool-call id',
    (c) => {
      const call = { index: 0, id: null, name: 'write', args: WRITE_JSON }
      return deltasTurn([header(call), ...fragments(c, call)])
    },
    {},
    WRITTEN,
  ),
  row(
    'name-repeated-on-every-delta',
    'servers that repeat id, type and the full name on every argument delta (some SGLang / LiteLLM versions)',
    (c) =>
      deltasTurn(
        c(BASH_JSON).map((piece) => ({
          index: 0,
          id: 'call_nr1',
          type: 'function',
          function: { name: 'bash', arguments: piece },
        })),
      ),
    {},
    RAN_ONCE,
  ),
  row(
    'explicit-nulls-on-continuation-deltas',
    'continuation deltas with "id": null, "type": null and "name": null spelled out',
    (c) => {
      const call = { index: 0, id: 'call_nl1', name: 'write', args: WRITE_JSON }
      return deltasTurn([
        header(call),
        ...c(WRITE_JSON).map((piece) => ({
          index: 0,
          id: null,
          type: null,
          function: { name: null, arguments: piece },
        })),
      ])
    },
    {},
    WRITTEN,
  ),
  row(
    'arguments-as-json-object',
    'function.arguments sent as a JSON object instead of a string (Ollama-native shims, some LiteLLM routes)',
    () =>
      deltasTurn([
        {
          index: 0,
          id: 'call_ob1',
          type: 'function',
          function: { name: 'write', arguments: WRITE },
        },
      ]),
    {},
    WRITTEN,
  ),
  row(
    'no-finish-reason',
    'a stream that ends with [DONE] and never sends a finish_reason (llama-server, some proxies)',
    (c) => {
      const call = { index: 0, id: 'call_nf1', name: 'write', args: WRITE_JSON }
      return deltasTurn([header(call), ...fragments(c, call)], null)
    },
    {},
    WRITTEN,
  ),
  {
    id: 'no-finish-reason-no-done',
    group: 'deltas',
    why: 'a proxy that closes the stream cleanly after the last argument delta: no finish_reason, no [DONE]',
    files: RAN_ONCE,
    turns: (c) => {
      const call = { index: 0, id: 'call_nf2', name: 'bash', args: BASH_JSON }
      const turn = deltasTurn([header(call), ...fragments(c, call)], null)
      return [{ ...turn, cut: { after: turn.rawChunks!.length, clean: true } }, DONE]
    },
  },
  row(
    'finish-stop-with-tool-calls',
    'Ollama and older vLLM answer finish_reason "stop" on a turn that made tool calls',
    (c) => ({
      rawChunks: [
        chunk({ role: 'assistant', content: null }),
        ...callChunks(c, { index: 0, id: 'call_fs1', name: 'write', args: WRITE_JSON }),
        end('stop'),
      ],
    }),
    {},
    WRITTEN,
  ),
  row(
    'finish-reason-on-last-argument-chunk',
    'vLLM puts finish_reason on the chunk that carries the last argument fragment',
    (c) => {
      const call = { index: 0, id: 'call_fl1', name: 'bash', args: BASH_JSON }
      const parts = fragments(c, call)
      const last = parts.pop()!
      return {
        rawChunks: [
          open(),
          ...[header(call), ...parts].map((d) => chunk({ tool_calls: [d] })),
          chunk({ tool_calls: [last] }, 'tool_calls'),
        ],
      }
    },
    {},
    RAN_ONCE,
  ),
  row(
    'empty-string-arguments-no-arg-call',
    'a call of a tool without required arguments sent with arguments "" and no fragments (vLLM hermes, Ollama)',
    () => deltasTurn([header({ index: 0, id: 'call_ea1', name: 'ls', args: '' })]),
    HELLO,
    {},
    [toldMatches(1, /hello\.txt/, 'tool')],
  ),
  row(
    'whole-call-in-one-delta',
    "Ollama's OpenAI endpoint: id, name and complete arguments in a single delta",
    () =>
      deltasTurn([
        {
          index: 0,
          id: 'call_oll1',
          type: 'function',
          function: { name: 'write', arguments: WRITE_JSON },
        },
      ]),
    {},
    WRITTEN,
  ),
  row(
    'call-index-starts-at-1-after-text',
    'Anthropic-to-OpenAI shims (LiteLLM) number the call after the text block: its first index is 1',
    (c) => ({
      rawChunks: [
        open(),
        ...say(c, "I'll run the command."),
        ...callChunks(c, { index: 1, id: 'toolu_01Ab', name: 'bash', args: BASH_JSON }),
        end('tool_calls'),
      ],
    }),
    {},
    RAN_ONCE,
  ),
  row(
    'interleaved-parallel-fragments',
    'SGLang / TGI streaming two calls with their fragments interleaved by index',
    (c) => {
      const a = { index: 0, id: 'call_il1', name: 'write', args: WRITE_JSON }
      const b = { index: 1, id: 'call_il2', name: 'bash', args: BASH_JSON }
      const fa = fragments(c, a)
      const fb = fragments(c, b)
      const mixed: Delta[] = [header(a), header(b)]
      for (let i = 0; i < Math.max(fa.length, fb.length); i++) {
        if (fa[i]) mixed.push(fa[i]!)
        if (fb[i]) mixed.push(fb[i]!)
      }
      return deltasTurn(mixed)
    },
    {},
    { ...WRITTEN, ...RAN_ONCE },
  ),
  {
    id: 'empty-choices-keepalive-chunks',
    group: 'deltas',
    why: 'Azure OpenAI / some gateways: a first chunk with choices [] (prompt_filter_results), and keep-alive chunks with no choices mid-stream',
    files: WRITTEN,
    turns: (c) => {
      const call = { index: 0, id: 'call_az1', name: 'write', args: WRITE_JSON }
      const [first, ...rest] = fragments(c, call)
      return [
        {
          rawChunks: [
            {
              choices: [],
              prompt_filter_results: [{ prompt_index: 0, content_filter_results: {} }],
            },
            chunk({ role: 'assistant', content: null }),
            chunk({ tool_calls: [header(call)] }),
            chunk({ tool_calls: [first!] }),
            { choices: [] },
            ...rest.map((d) => chunk({ tool_calls: [d] })),
            end('tool_calls'),
          ],
        },
        DONE,
      ]
    },
  },
]
