#!/usr/bin/env node
// The lint's Electron security scan: @doyensec/electronegativity over the sources, told the
// Electron version in package.json. Fails on any HIGH or MEDIUM row, printing each on one line.
// An accepted finding carries an `eng-disable CHECK_ID (reason: …)` comment on its line.
//
// Usage: node scripts/electronegativity.mjs [DIR]   (default: src)
//
// Offline by design: the check that downloads Electron's release list
// (AvailableSecurityFixesGlobalCheck) is excluded, the translations download it tries at start
// gives up after a second without a network (the English texts ship with it), and the whole scan
// is bounded. A file the scanner cannot parse fails the gate: it would be a file not checked.
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const require = createRequire(import.meta.url)
const FAILING = new Set(['HIGH', 'MEDIUM'])
const TIMEOUT_MS = 180_000

/** The Electron version the app is built with: package.json's range, without its `^`/`~`. */
export function electronVersion() {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
  const range = pkg.devDependencies?.electron ?? pkg.dependencies?.electron
  const m = /(\d+\.\d+\.\d+)/.exec(range ?? '')
  if (!m) throw new Error(`package.json names no Electron version (got ${JSON.stringify(range)})`)
  return m[1]
}

/** One line for each finding that fails the gate. */
export function failingFindings(issues) {
  return issues
    .filter((i) => FAILING.has(String(i.severity?.name ?? '').toUpperCase()))
    .map(
      (i) =>
        `${i.severity.name} ${i.id} ${i.file}:${i.location?.line}:${i.location?.column} — ${i.description}`,
    )
}

/**
 * Scan `dir` through the scanner's own API (its CLI writes the CSV report with two racing writes,
 * which can lose every row). Resolves with its issues and the files it could not parse.
 */
export async function scan(dir) {
  const run = require('@doyensec/electronegativity')
  const timer = setTimeout(() => {
    process.stderr.write(`electronegativity: stopped after ${TIMEOUT_MS / 1000} s\n`)
    process.exit(2)
  }, TIMEOUT_MS)
  timer.unref()
  // The scanner keys its texts on LANG; the English ones ship with it.
  process.env.LANG = 'en-US'
  try {
    const { issues, errors } = await run(
      {
        input: dir,
        isRelative: true,
        isVerbose: false,
        electronVersionOverride: electronVersion(),
        excludeFromScan: ['AvailableSecurityFixesGlobalCheck'],
        customScan: [],
        parserPlugins: [],
      },
      false,
    )
    return { issues, errors: errors.filter((e) => !e.tolerable) }
  } finally {
    clearTimeout(timer)
  }
}

async function main() {
  const dir = resolve(process.argv[2] ?? join(root, 'src'))
  if (!existsSync(dir)) {
    process.stderr.write(`electronegativity: no folder ${dir}\n`)
    process.exit(2)
  }
  let result
  try {
    result = await scan(dir)
  } catch (err) {
    process.stderr.write(`electronegativity: ${err.message}\n`)
    process.exit(2)
  }
  // A file it cannot read is a file it did not check.
  for (const e of result.errors) {
    process.stdout.write(`electronegativity: cannot parse ${e.file}: ${e.message}\n`)
  }
  const failing = failingFindings(result.issues)
  for (const line of failing) process.stdout.write(`electronegativity: ${line}\n`)
  if (failing.length > 0 || result.errors.length > 0) {
    process.stdout.write(
      `electronegativity: ${failing.length} HIGH/MEDIUM finding(s) and ${result.errors.length} ` +
        `unreadable file(s) in ${dir}. Fix them, or accept a finding with an ` +
        '`eng-disable CHECK_ID (reason: …)` comment on its line.\n',
    )
    process.exit(1)
  }
  process.stdout.write(
    `electronegativity: no HIGH or MEDIUM finding in ${dir} (${result.issues.length} lower)\n`,
  )
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main()
