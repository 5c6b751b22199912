import { mkdir, writeFile } from 'node:fs/promises'
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../core/private-files'
import { describeError } from './fs-errors'
import { spillPath } from './truncate'

/** Where a tool's whole output went, or why it could not be saved. */
export type Spill = { ok: true; path: string } | { ok: false; error: string }

/**
 * Save a tool's whole output to a new file in the session's spill folder (`spillDir`), for the
 * model to page through with read (offset, limit) when the result shows only part of it.
 */
export async function spillText(spillDir: string, tool: string, text: string): Promise<Spill> {
  try {
    await mkdir(spillDir, { recursive: true, mode: PRIVATE_DIR_MODE })
    const path = spillPath(spillDir, tool)
    await writeFile(path, text, { flag: 'wx', mode: PRIVATE_FILE_MODE })
    return { ok: true, path }
  } catch (err) {
    return { ok: false, error: describeError(err) }
  }
}

/** The sentence telling the model where the whole output is and how to read it. */
export function spillNote(spill: Spill): string {
  return spill.ok
    ? `The whole output is in ${spill.path}: read it with offset and limit to see the rest.`
    : `The whole output could not be saved: ${spill.error}.`
}
