#!/usr/bin/env node
// The lint's Electron security scan: @doyensec/electronegativity over the sources, told the
// Electron version in package.json. Fails on any HIGH or MEDIUM row, printing each on one line.
// An accepted finding carries an `eng-disable CHECK_ID (reason: …)` comment on its line.
//
// Usage: node scripts/electronegativity.mjs [DIR]   (default: src)
//
// Offline by design: the check that downloads Electron's release list
// (AvailableSecurityFixesGlobalCheck) is excluded, the translations download it tries at start
// fails fast without a network (the English texts ship with it), and the whole scan is bounded.
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
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

/** Rows of electronegativity's CSV (quoted fields, `""` for a quote), header first. */
export function parseCsv(text) {
  const rows = []
  let row = []
  let field = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"'
        i++
      } else if (c === '"') quoted = false
      else field += c
    } else if (c === '"') quoted = true
    else if (c === ',') {
      row.push(field.trim())
      field = ''
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++
      row.push(field.trim())
      if (row.some((f) => f !== '')) rows.push(row)
      row = []
      field = ''
    } else field += c
  }
  row.push(field.trim())
  if (row.some((f) => f !== '')) rows.push(row)
  return rows
}

/** The findings that fail the gate, as one-line texts. */
export function failingFindings(csv) {
  const [header, ...rows] = parseCsv(csv)
  if (!header) return []
  const col = (name) => header.findIndex((h) => h.toLowerCase() === name)
  const [issue, severity, file, location, description] = [
    'issue',
    'severity',
    'filename',
    'location',
    'description',
  ].map(col)
  return rows
    .filter((r) => FAILING.has((r[severity] ?? '').toUpperCase()))
    .map((r) => `${r[severity]} ${r[issue]} ${r[file]}:${r[location]} — ${r[description]}`)
}

/** Run the scan on `dir`; resolves with the CSV text. */
export function scan(dir) {
  const cli = join(
    dirname(require.resolve('@doyensec/electronegativity/package.json')),
    'dist',
    'index.js',
  )
  const out = mkdtempSync(join(tmpdir(), 'paddock-eng-'))
  const csvFile = join(out, 'report.csv')
  const args = [cli, '-i', dir, '-o', csvFile, '-r', '-e', electronVersion()]
  args.push('-x', 'AvailableSecurityFixesGlobalCheck')
  return new Promise((done, fail) => {
    let output = ''
    // LANG picks the built-in English texts (the scanner keys its locale on it).
    const child = spawn(process.execPath, args, {
      env: { ...process.env, LANG: 'en-US' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    child.stdout.on('data', (d) => (output += d))
    child.stderr.on('data', (d) => (output += d))
    const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS)
    child.on('error', fail)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      try {
        if (signal) fail(new Error(`electronegativity stopped after ${TIMEOUT_MS / 1000} s`))
        else if (code !== 0 || !existsSync(csvFile))
          fail(new Error(`electronegativity failed (exit ${code}):\n${output}`))
        else done(readFileSync(csvFile, 'utf8'))
      } finally {
        rmSync(out, { recursive: true, force: true })
      }
    })
  })
}

async function main() {
  const dir = resolve(process.argv[2] ?? join(root, 'src'))
  let csv
  try {
    csv = await scan(dir)
  } catch (err) {
    process.stderr.write(`electronegativity: ${err.message}\n`)
    process.exit(2)
  }
  const failing = failingFindings(csv)
  for (const line of failing) process.stdout.write(`electronegativity: ${line}\n`)
  if (failing.length > 0) {
    process.stdout.write(
      `electronegativity: ${failing.length} HIGH/MEDIUM finding(s) in ${dir}. Fix them, or accept ` +
        'one with an `eng-disable CHECK_ID (reason: …)` comment on its line.\n',
    )
    process.exit(1)
  }
  process.stdout.write(`electronegativity: no HIGH or MEDIUM finding in ${dir}\n`)
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main()
