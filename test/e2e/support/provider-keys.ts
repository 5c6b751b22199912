import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'

/** The key the fake LLM server accepts; it must rest nowhere but in secrets.json. */
export const PLANTED_KEY = 'sk-paddock-PLANTED-1234567890'
/** A key the fake LLM server refuses. */
export const WRONG_KEY = 'sk-paddock-WRONG-0000000000'

/** Every file under `dir` (recursively) whose bytes contain `needle`, as UTF-8 or UTF-16. */
export function filesContaining(dir: string, needle: string): string[] {
  const utf8 = Buffer.from(needle, 'utf8')
  const utf16 = Buffer.from(needle, 'utf16le')
  const found: string[] = []
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name)
      if (entry.isDirectory()) walk(path)
      else if (entry.isFile()) {
        const bytes = readFileSync(path)
        if (bytes.includes(utf8) || bytes.includes(utf16)) found.push(relative(dir, path))
      }
    }
  }
  walk(dir)
  return found.sort()
}
