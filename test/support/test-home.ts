import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/**
 * An empty home folder for a test run. Tests start real shells, and a real shell reads the
 * developer's ~/.bashrc: whatever that runs (pyenv's rehash, which waits a minute on a lock a
 * killed shell left behind; a slow prompt) would decide whether a test passes. Shells started
 * by tests read their own rc files only.
 */
export function isolatedHome(): string {
  return mkdtempSync(join(tmpdir(), 'paddock-test-home-'))
}
