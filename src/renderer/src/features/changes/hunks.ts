/** One changed region of a diff, as Monaco's `getLineChanges()` gives it (1-based, inclusive). */
export interface Hunk {
  originalStartLineNumber: number
  /** 0 when the change only adds lines (they go after `originalStartLineNumber`). */
  originalEndLineNumber: number
  modifiedStartLineNumber: number
  /** 0 when the change only removes lines (they were after `modifiedStartLineNumber`). */
  modifiedEndLineNumber: number
}

/** `modified` with one hunk put back as it is in `original`. */
export function revertHunk(original: string, modified: string, hunk: Hunk): string {
  const orig = original.split('\n')
  const mod = modified.split('\n')
  const back =
    hunk.originalEndLineNumber === 0
      ? []
      : orig.slice(hunk.originalStartLineNumber - 1, hunk.originalEndLineNumber)
  if (hunk.modifiedEndLineNumber === 0) {
    mod.splice(hunk.modifiedStartLineNumber, 0, ...back)
  } else {
    mod.splice(
      hunk.modifiedStartLineNumber - 1,
      hunk.modifiedEndLineNumber - hunk.modifiedStartLineNumber + 1,
      ...back,
    )
  }
  return mod.join('\n')
}

/** "lines 4–6" of the modified side (or where lines were removed). */
export function hunkLabel(hunk: Hunk): string {
  if (hunk.modifiedEndLineNumber === 0)
    return `lines removed after line ${hunk.modifiedStartLineNumber}`
  const a = hunk.modifiedStartLineNumber
  const b = hunk.modifiedEndLineNumber
  return a === b ? `line ${a}` : `lines ${a}–${b}`
}
