import type { Repair } from './repair'
import type { AnyTool } from './types'

/**
 * Names other agents give our tools, which models trained on them send to us. Keys are written
 * as models send them; matching normalises both sides (see `normaliseName`), so `read_file`,
 * `ReadFile` and `read-file` are one entry. An alias applies only when its target is among the
 * offered tools and no offered tool has that name itself. Only unambiguous meanings belong here:
 * `str_replace_editor`, say, is a multi-command tool (view, create, edit) and is not listed.
 */
export const TOOL_ALIASES: Readonly<Record<string, string>> = {
  read_file: 'read',
  view_file: 'read',
  write_file: 'write',
  create_file: 'write',
  edit_file: 'edit',
  str_replace: 'edit',
  replace_in_file: 'edit',
  run_command: 'bash',
  run_shell_command: 'bash',
  run_terminal_cmd: 'bash',
  execute_command: 'bash',
  execute_bash: 'bash',
  shell: 'bash',
  list_dir: 'ls',
  list_directory: 'ls',
  list_files: 'ls',
  search: 'grep',
  grep_search: 'grep',
  search_files: 'grep',
  find_files: 'glob',
}

/** Wrapper keys models put around the arguments, unwrapped unless the schema has that key. */
export const WRAPPER_KEYS: readonly string[] = [
  'input',
  'arguments',
  'parameters',
  'args',
  'params',
]
/** Keys naming the tool beside a wrapper (`{"name": "read", "arguments": {…}}`). */
export const NAME_KEYS: readonly string[] = ['name', 'tool', 'tool_name']

/** Lowercase, without `_`, `-`, `.` or whitespace: `Read_File` and `read-file` → `readfile`. */
export function normaliseName(name: string): string {
  return name.toLowerCase().replace(/[\s_.-]+/g, '')
}

export type ResolvedTool = { tool: AnyTool; repair?: Repair } | undefined

/**
 * The offered tool a model's name means: the exact name; else the one tool whose name matches
 * after normalising; else an alias. Also forgiven: a namespace prefix (`functions.read`,
 * `default_api:read`), chat-template debris after the name (`read<|channel|>commentary`, GLM's `ls</arg_value>`: no
 * tool name holds a `<`), and a
 * Kimi-style call id sent as the name (`functions.read:0`: namespace, name, call index).
 */
export function resolveToolName(name: string, tools: readonly AnyTool[]): ResolvedTool {
  const exact = tools.find((t) => t.name === name)
  if (exact) return { tool: exact }

  const cleaned = name.split('<')[0]?.trim() ?? ''
  // `functions.edit:12`: the index after the last colon is the call's number, not part of a name.
  const unindexed = cleaned.replace(/:\d+$/, '')
  const unprefixed = unindexed.replace(/^.*[.:]/, '')
  const candidates = [...new Set([cleaned, unindexed, unprefixed])].filter((c) => c !== '')

  for (const candidate of candidates) {
    const norm = normaliseName(candidate)
    const matches = tools.filter((t) => normaliseName(t.name) === norm)
    if (matches.length === 1 && matches[0]) {
      const tool = matches[0]
      return { tool, repair: { kind: 'tool_name', detail: `tool name "${name}" → ${tool.name}` } }
    }
    if (matches.length > 1) return undefined
  }

  const aliases = new Map(Object.entries(TOOL_ALIASES).map(([k, v]) => [normaliseName(k), v]))
  for (const candidate of candidates) {
    const target = aliases.get(normaliseName(candidate))
    const tool = target === undefined ? undefined : tools.find((t) => t.name === target)
    if (tool) {
      const detail = `tool name "${name}" is another agent's name for ${tool.name} → ${tool.name}`
      return { tool, repair: { kind: 'tool_name', detail } }
    }
  }
  return undefined
}

/** The result a model reads after calling a tool that does not exist. */
export function unknownToolMessage(name: string, tools: readonly AnyTool[]): string {
  const available = tools.map((t) => t.name).join(', ')
  return `Unknown tool "${name}". Available tools: ${available || '(none)'}.`
}
