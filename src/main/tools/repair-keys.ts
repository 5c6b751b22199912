import type { Repair } from './repair'
import { RepairRefusal } from './repair-errors'
import { normaliseName } from './repair-names'
import type { JsonSchema } from './repair-schema'
import { defineField } from './repair-schema'

/**
 * Other agents' vocabulary for our arguments, mapped where the meaning is unambiguous: models
 * trained on Claude Code, SWE-agent, Codex, Gemini CLI or Cursor send `file_path`, `old_str`,
 * `oldString`, `cmd`, `file_text`, and `command` as an argv array. A key is renamed only when the
 * tool has the target argument and not the key itself; two keys giving one argument different
 * values are refused, naming both, rather than one being picked.
 */

/**
 * For each argument our tools take, the names other agents give it. Matching normalises both
 * sides (`normaliseName`: case, `_`, `-`), so `filePath` is `file_path`. Left out on purpose:
 * `timeout` (seconds or milliseconds, depending on the agent), `end_line` (not a count), `query`
 * and `regex` (a glob is not a regular expression).
 */
export const KEY_SYNONYMS: Readonly<Record<string, readonly string[]>> = {
  path: [
    'file_path',
    'file_name',
    'file',
    'target_file',
    'absolute_path',
    'dir_path',
    'directory',
    'folder',
  ],
  old_string: ['old_str', 'old_text', 'old', 'search'],
  new_string: ['new_str', 'new_text', 'new', 'replace', 'replacement'],
  content: ['file_text', 'text', 'contents', 'file_content', 'file_contents'],
  command: ['cmd', 'script', 'shell_command', 'command_line'],
  offset: ['start_line'],
  limit: ['max_lines', 'num_lines', 'line_count'],
  glob: ['include'],
  ignore_case: ['case_insensitive'],
}

const SYNONYM_TARGETS: ReadonlyMap<string, readonly string[]> = (() => {
  const map = new Map<string, string[]>()
  for (const [target, sources] of Object.entries(KEY_SYNONYMS)) {
    for (const source of sources) {
      const key = normaliseName(source)
      const targets = map.get(key) ?? []
      if (!targets.includes(target)) map.set(key, [...targets, target])
    }
  }
  return map
})()

/** The one argument of `properties` a key the schema lacks stands for, if unambiguous. */
function targetOf(key: string, properties: Record<string, JsonSchema>): string | undefined {
  const norm = normaliseName(key)
  const names = Object.keys(properties)
  // The argument's own name in another case or spelling (`oldString`) is no guess.
  const spelled = names.filter((n) => normaliseName(n) === norm)
  if (spelled.length) return spelled.length === 1 ? spelled[0] : undefined
  const synonyms = (SYNONYM_TARGETS.get(norm) ?? []).filter((t) => names.includes(t))
  return synonyms.length === 1 ? synonyms[0] : undefined
}

/**
 * Rename the keys of an arguments object that are other agents' names for the tool's arguments.
 * Returns a new object (or `value` itself when nothing is renamed). Throws `RepairRefusal` when
 * two keys give one argument different values.
 */
export function renameKeys(
  value: Record<string, unknown>,
  properties: Record<string, JsonSchema>,
  toolName: string,
  repairs: Repair[],
): Record<string, unknown> {
  const sources = new Map<string, string[]>()
  for (const key of Object.keys(value)) {
    if (Object.hasOwn(properties, key)) continue
    const target = targetOf(key, properties)
    if (target !== undefined) sources.set(target, [...(sources.get(target) ?? []), key])
  }
  if (sources.size === 0) return value

  const renamed = new Map<string, string>()
  for (const [target, keys] of sources) {
    const givers = Object.hasOwn(value, target) ? [target, ...keys] : keys
    const first = givers[0]!
    const differing = givers.find((k) => !sameValue(value[k], value[first]))
    if (differing !== undefined) {
      throw new RepairRefusal(
        `The arguments of ${toolName} give ${target} twice with different values: ` +
          `${first} = ${shortJson(value[first])} and ${differing} = ${shortJson(value[differing])}. ` +
          `Send only ${target}.`,
      )
    }
    for (const key of keys) {
      renamed.set(key, target)
      const same = Object.hasOwn(value, target) || key !== keys[0]
      repairs.push({
        kind: 'key_renamed',
        field: key,
        detail: same
          ? `${key}: the same value as ${target} → dropped`
          : `${key} → ${target}${normaliseName(key) === normaliseName(target) ? '' : " (another agent's name for it)"}`,
      })
    }
  }

  const out: Record<string, unknown> = {}
  for (const [key, field] of Object.entries(value)) {
    const target = renamed.get(key)
    if (target === undefined) defineField(out, key, field)
    else if (!Object.hasOwn(out, target) && !Object.hasOwn(value, target)) {
      defineField(out, target, field)
    }
  }
  return out
}

/** Shells whose `-c` script is the command: `bash`, `/bin/sh`, `/usr/bin/env bash`. */
const SHELL = /^(?:\/usr\/bin\/env\s+|\/(?:usr\/)?(?:local\/)?bin\/)?(?:ba|z|da|k)?sh$/
/** The flags before a `-c` script: `-c`, `-lc`, `-cl`, or `-l` then `-c`. */
const SCRIPT_FLAGS = [['-c'], ['-lc'], ['-cl'], ['-l', '-c']]

/**
 * `command` sent as an argv array, the way Codex's shell tool takes it, as one command line:
 * `["bash", "-lc", "ls -la"]` → `ls -la` (the script of a shell's `-c`); `["ls", "-la"]` → the
 * words shell-quoted and joined; a one-item array → its item (a command line in an array).
 * Items must be strings or numbers; anything else is left for the schema to refuse.
 */
export function joinArgv(
  value: Record<string, unknown>,
  properties: Record<string, JsonSchema>,
  repairs: Repair[],
): Record<string, unknown> {
  const argv = value.command
  if (!Object.hasOwn(properties, 'command') || !Array.isArray(argv) || argv.length === 0) {
    return value
  }
  if (!argv.every((w) => typeof w === 'string' || (typeof w === 'number' && isFinite(w)))) {
    return value
  }
  const words = argv.map(String)
  let command: string
  let how: string
  const script = shellScript(words)
  if (words.length === 1) {
    command = words[0]!
    how = 'a one-item array → its item'
  } else if (script !== undefined) {
    command = script
    how = `a ${words[0]} -c argv → its script`
  } else {
    command = words.map(shellQuote).join(' ')
    how = 'an argv array → the words shell-quoted and joined'
  }
  repairs.push({
    kind: 'argv_joined',
    field: 'command',
    detail: `command: ${how}: ${shortJson(command)}`,
  })
  const out: Record<string, unknown> = {}
  for (const [key, field] of Object.entries(value)) {
    defineField(out, key, key === 'command' ? command : field)
  }
  return out
}

function shellScript(words: readonly string[]): string | undefined {
  if (!SHELL.test(words[0] ?? '')) return undefined
  for (const flags of SCRIPT_FLAGS) {
    if (words.length !== flags.length + 2) continue
    if (flags.every((f, i) => words[i + 1] === f)) return words[words.length - 1]
  }
  return undefined
}

/** A word as the shell reads it back: bare when safe, else in single quotes. */
export function shellQuote(word: string): string {
  if (word === '') return "''"
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word
  return `'${word.replace(/'/g, `'\\''`)}'`
}

function sameValue(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b)
}

/** A value as JSON, cut to 60 characters for a message. */
export function shortJson(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value)
  return text.length > 60 ? `${text.slice(0, 57)}…` : text
}
