// The Mac update files (latest-mac.yml, beta-mac.yml…) of two builds, one per architecture, made
// into one that lists both: electron-updater picks the file of its own architecture from it.
//   node scripts/packaging/merge-update-info.mjs <arm64 dir> <x64 dir> <out dir>
// Reads YAML with js-yaml (installed by the release workflow; also a dependency of electron-builder).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** One update info with the `files` of both (by url, the first's entries first). */
export function mergeUpdateInfo(first, second) {
  if (first.version !== second.version) {
    throw new Error(`The builds are of different versions: ${first.version} and ${second.version}`)
  }
  const files = [...first.files]
  for (const file of second.files) {
    if (!files.some((f) => f.url === file.url)) files.push(file)
  }
  return { ...first, files }
}

/** Merge every `*-mac.yml` found in `dirs` into `outDir`; returns the names written. */
export function mergeMacUpdateFiles(dirs, outDir) {
  const yaml = createRequire(import.meta.url)('js-yaml')
  const merged = new Map()
  for (const dir of dirs) {
    for (const name of readdirSync(dir).filter((n) => n.endsWith('-mac.yml'))) {
      const info = yaml.load(readFileSync(join(dir, name), 'utf8'))
      merged.set(name, merged.has(name) ? mergeUpdateInfo(merged.get(name), info) : info)
    }
  }
  for (const [name, info] of merged) {
    writeFileSync(join(outDir, name), yaml.dump(info, { lineWidth: -1 }))
  }
  return [...merged.keys()].sort()
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [a, b, out] = process.argv.slice(2)
  if (!a || !b || !out) {
    process.stderr.write('usage: merge-update-info.mjs <arm64 dir> <x64 dir> <out dir>\n')
    process.exit(2)
  }
  const names = mergeMacUpdateFiles([a, b], out)
  process.stdout.write(`merged ${names.join(', ') || 'no Mac update files'}\n`)
}
