import { describe, expect, it } from 'vitest'
import { Screen } from '../../src/main/shells/screen'
import { ScreenFeed } from '../../src/main/shells/screen-feed'

/** Coloured lines as a flood prints them (each ends its colour, as `ls --color` or a log does). */
function floodLines(from: number, count: number): string {
  let out = ''
  for (let i = from; i < from + count; i++)
    out += `\x1b[3${i % 8}m${String(i).padStart(8, '0')}\x1b[0m ${'lorem ipsum '.repeat(6)}\r\n`
  return out
}

describe('screen feed', () => {
  it('parses a fraction of a flood and ends with the screen a full parse gives', async () => {
    const screen = new Screen(100, 30, 1000)
    let parsed = 0
    let paused = 0
    const feed = new ScreenFeed(screen, {
      parsed: (text) => (parsed += text.length),
      pause: () => paused++,
      resume: () => {},
    })
    // 3 MB in 4 KB chunks arriving within one frame, as a PTY delivers a flood faster than a
    // frame (pushed in one go: how many chunks a frame holds must not depend on the machine's
    // load, or the share parsed would).
    let printed = ''
    let line = 0
    while (printed.length < 3_000_000) {
      const chunk = floodLines(line, 40)
      line += 40
      printed += chunk
      feed.push(chunk)
    }
    feed.push('\x1b[1mdone$ ')
    printed += '\x1b[1mdone$ '
    await feed.whenParsed()
    await new Promise((r) => setTimeout(r, 100))
    await feed.whenParsed()

    const full = new Screen(100, 30, 1000)
    await new Promise<void>((resolve) => full.write(printed, () => resolve()))
    expect(screen.snapshot().screen).toBe(full.snapshot().screen)
    // Thinned a frame at a time: a small part of it reaches the parser (and the clients).
    expect(parsed).toBeLessThan(printed.length / 3)
    feed.dispose()
    screen.dispose()
    full.dispose()
  })
})
