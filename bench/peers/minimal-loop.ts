import OpenAI from 'openai'
import type {
  ChatCompletionMessageParam,
  ChatCompletionTool,
} from 'openai/resources/chat/completions'

/**
 * The peer for the engine round-trip benchmark: the smallest honest agent loop over the same SDK —
 * stream a completion, accumulate the tool calls, parse their arguments, run the tool function,
 * append the results, repeat. No log, no events, no validation, no scheduling: what the engine adds
 * on top of this is its overhead.
 */
export async function minimalLoop(opts: {
  baseUrl: string
  model: string
  system: string
  prompt: string
  tools: ChatCompletionTool[]
  run: (name: string, args: unknown) => Promise<string>
}): Promise<number> {
  const client = new OpenAI({ baseURL: opts.baseUrl, apiKey: 'bench', maxRetries: 0 })
  const messages: ChatCompletionMessageParam[] = [
    { role: 'system', content: opts.system },
    { role: 'user', content: opts.prompt },
  ]
  let roundTrips = 0
  for (;;) {
    const stream = await client.chat.completions.create({
      model: opts.model,
      messages,
      tools: opts.tools,
      stream: true,
      stream_options: { include_usage: true },
    })
    let content = ''
    const calls: Array<{ id: string; name: string; arguments: string }> = []
    for await (const chunk of stream) {
      const delta = chunk.choices[0]?.delta
      if (!delta) continue
      if (delta.content) content += delta.content
      for (const tc of delta.tool_calls ?? []) {
        const c = (calls[tc.index] ??= { id: '', name: '', arguments: '' })
        if (tc.id) c.id = tc.id
        if (tc.function?.name) c.name += tc.function.name
        c.arguments += tc.function?.arguments ?? ''
      }
    }
    messages.push({
      role: 'assistant',
      content: content || null,
      ...(calls.length
        ? {
            tool_calls: calls.map((c) => ({
              id: c.id,
              type: 'function' as const,
              function: { name: c.name, arguments: c.arguments },
            })),
          }
        : {}),
    })
    if (calls.length === 0) return roundTrips
    for (const c of calls) {
      const out = await opts.run(c.name, JSON.parse(c.arguments))
      messages.push({ role: 'tool', tool_call_id: c.id, content: out })
    }
    roundTrips += 1
  }
}
