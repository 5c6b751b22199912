import { TERMINAL_INPUT_MAX_CHARS } from '../../../../shared/terminals'

/**
 * Keystrokes and pastes on their way to the shell: cut to the size one `terminals.input` call may
 * carry (never between the two halves of a surrogate pair) and sent strictly in order, one call at
 * a time, so a big paste arrives whole and in sequence.
 */
export function splitInput(data: string, max: number = TERMINAL_INPUT_MAX_CHARS): string[] {
  if (max < 2) throw new Error('splitInput needs room for a surrogate pair (max >= 2)')
  const parts: string[] = []
  for (let i = 0; i < data.length;) {
    let end = Math.min(data.length, i + max)
    const last = data.charCodeAt(end - 1)
    if (end < data.length && last >= 0xd800 && last <= 0xdbff) end--
    parts.push(data.slice(i, end))
    i = end
  }
  return parts
}

export type SendInput = (data: string) => Promise<unknown>

/** Sends input in order; a failed part is reported and the rest of that input dropped. */
export class InputQueue {
  private tail: Promise<void> = Promise.resolve()
  private closed = false

  constructor(
    private readonly send: SendInput,
    private readonly onError: (err: unknown) => void,
  ) {}

  push(data: string): Promise<void> {
    const parts = splitInput(data)
    this.tail = this.tail.then(async () => {
      for (const part of parts) {
        if (this.closed) return
        try {
          await this.send(part)
        } catch (err) {
          if (!this.closed) this.onError(err)
          return
        }
      }
    })
    return this.tail
  }

  close(): void {
    this.closed = true
  }
}
