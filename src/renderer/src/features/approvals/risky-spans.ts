/**
 * Where the risky parts of a command line are. The engine's shell analysis gives each subcommand
 * its reasons to flag it ("writes to out.txt", "destructive: rm -rf", "runs through bash -c",
 * …); this finds the characters each reason is about, so the card can highlight them in place.
 * Pure and forgiving: a reason whose words cannot be found is still listed, just not marked.
 */

export interface RiskySubcommand {
  /** The subcommand's exact source text (a slice of the command, or of the code `bash -c` runs). */
  text: string
  argv: readonly string[]
  risky: readonly string[]
}

/** A run of text, with the risk reasons that cover it (empty: nothing risky here). */
export interface Segment {
  text: string
  risks: string[]
}

interface Span {
  start: number
  end: number
  reason: string
}

/** Characters that end a shell word (outside quotes, which is close enough for marking). */
const BOUNDARY = String.raw`\s;|&(){}<>\x60'"`

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** Every place `phrase` (words separated by any whitespace) stands as whole words in `text`. */
function findPhrase(
  text: string,
  phrase: string,
  from = 0,
  to = text.length,
): Array<[number, number]> {
  const words = phrase.trim().split(/\s+/).filter(Boolean)
  if (words.length === 0) return []
  const body = words.map(escapeRegExp).join(String.raw`\s+`)
  const re = new RegExp(`(?<=^|[${BOUNDARY}])${body}(?=$|[${BOUNDARY}])`, 'g')
  const hits: Array<[number, number]> = []
  const slice = text.slice(0, to)
  re.lastIndex = from
  let m: RegExpExecArray | null
  while ((m = re.exec(slice)) !== null) hits.push([m.index, m.index + m[0].length])
  return hits
}

function firstPhrase(
  text: string,
  phrase: string,
  from: number,
  to: number,
): [number, number] | null {
  return findPhrase(text, phrase, from, to)[0] ?? null
}

/** A redirection to `target` (`> out.txt`, `2>> 'log file'`, `&> x`), or `target` as a word. */
function findWrite(
  text: string,
  target: string,
  from: number,
  to: number,
): [number, number] | null {
  const t = escapeRegExp(target)
  const re = new RegExp(
    String.raw`(?:\d|&)?>{1,2}\|?\s*(?:'${t}'|"${t}"|${t})(?=$|[${BOUNDARY}])`,
    'g',
  )
  re.lastIndex = from
  const m = re.exec(text.slice(0, to))
  if (m) return [m.index, m.index + m[0].length]
  return firstPhrase(text, target, from, to)
}

/** The words of a reason's phrase worth marking: "rm -rf" → the phrase, else its flags. */
function locatePhrase(
  text: string,
  phrase: string,
  program: string | undefined,
  from: number,
  to: number,
): Array<[number, number]> {
  const whole = firstPhrase(text, phrase, from, to)
  if (whole) return [whole]
  const flags = phrase
    .split(/\s+/)
    .filter((w) => w.startsWith('-') || w.startsWith('+'))
    .map((w) => firstPhrase(text, w, from, to))
    .filter((h): h is [number, number] => h !== null)
  const prog = program ? firstPhrase(text, program, from, to) : null
  return prog ? [prog, ...flags] : flags
}

/**
 * The ranges of `text` one reason is about, searched in `[from, to)`. `program` is the
 * subcommand's program as written (argv[0]), the fallback for reasons about the program itself.
 */
export function locateRisk(
  text: string,
  reason: string,
  program: string | undefined,
  from = 0,
  to = text.length,
): Array<[number, number]> {
  const one = (hit: [number, number] | null): Array<[number, number]> => (hit ? [hit] : [])
  const write = /^(?:writes to|appends to) (.+)$/.exec(reason)
  if (write) return one(findWrite(text, write[1]!, from, to))
  if (reason === 'command substitution') return [[from, to]]
  const through = /^runs through (.+)$/.exec(reason)
  if (through) {
    const wrapper = through[1]!
    // `find -exec` is reported by its action; mark that word.
    const action = /^find (-\S+)$/.exec(wrapper)?.[1]
    return one(firstPhrase(text, action ?? wrapper, from, to))
  }
  const root = /^runs as root \((.+)\)$/.exec(reason)
  if (root) return one(firstPhrase(text, root[1]!, from, to))
  const sets = /^sets (\S+)$/.exec(reason)
  if (sets) {
    const re = new RegExp(`(?<=^|[${BOUNDARY}])${escapeRegExp(sets[1]!)}=\\S*`, 'g')
    re.lastIndex = from
    const m = re.exec(text.slice(0, to))
    return m ? [[m.index, m.index + m[0].length]] : []
  }
  if (reason === 'publishes a package') return one(firstPhrase(text, 'publish', from, to))
  if (reason === 'pushes to a remote') return one(firstPhrase(text, 'push', from, to))
  const destructive = /^destructive: (.+)$/.exec(reason)
  const phrase = destructive?.[1] ?? /\(([^)]+)\)$/.exec(reason)?.[1]
  if (phrase) {
    const hits = locatePhrase(text, phrase, program, from, to)
    if (hits.length) return hits
  }
  return one(program ? firstPhrase(text, program, from, to) : null)
}

/** Split `text` into runs covered by the same set of reasons. */
function segment(text: string, spans: Span[]): Segment[] {
  const cuts = new Set<number>([0, text.length])
  for (const s of spans) {
    cuts.add(Math.max(0, Math.min(text.length, s.start)))
    cuts.add(Math.max(0, Math.min(text.length, s.end)))
  }
  const points = [...cuts].sort((a, b) => a - b)
  const out: Segment[] = []
  for (let i = 0; i + 1 < points.length; i++) {
    const start = points[i]!
    const end = points[i + 1]!
    if (end <= start) continue
    const risks = [
      ...new Set(spans.filter((s) => s.start <= start && s.end >= end).map((s) => s.reason)),
    ]
    const prev = out[out.length - 1]
    if (prev && prev.risks.join('\n') === risks.join('\n')) prev.text += text.slice(start, end)
    else out.push({ text: text.slice(start, end), risks })
  }
  return out
}

/** One subcommand's text, split into plain and risky runs. */
export function markSubcommand(sub: RiskySubcommand): Segment[] {
  const spans: Span[] = []
  for (const reason of sub.risky) {
    for (const [start, end] of locateRisk(sub.text, reason, sub.argv[0])) {
      spans.push({ start, end, reason })
    }
  }
  return segment(sub.text, spans)
}

/** Extend a substitution's range over its `$(`…`)`, backticks or `<(`…`)` when they surround it. */
function widenSubstitution(command: string, start: number, end: number): [number, number] {
  const before = command.slice(0, start)
  const after = command.slice(end)
  const open = /(\$\(|[<>]\(|`)\s*$/.exec(before)
  if (!open) return [start, end]
  const closer = open[1] === '`' ? '`' : ')'
  const close = new RegExp(`^\\s*${escapeRegExp(closer)}`).exec(after)
  if (!close) return [start, end]
  return [open.index, end + close[0].length]
}

/**
 * The whole command line, split into plain and risky runs: each subcommand is found in the line
 * (in order, falling back to anywhere), and each of its reasons is searched from the end of the
 * subcommand before it, so a wrapper written in front of it (`bash -c`, `sudo`) is found too.
 */
export function markCommand(command: string, subcommands: readonly RiskySubcommand[]): Segment[] {
  const spans: Span[] = []
  let cursor = 0
  let prevEnd = 0
  for (const sub of subcommands) {
    if (!sub.text) continue
    let at = command.indexOf(sub.text, cursor)
    if (at < 0) at = command.indexOf(sub.text)
    if (at < 0) continue
    const end = at + sub.text.length
    const windowStart = prevEnd <= at ? prevEnd : 0
    for (const reason of sub.risky) {
      let hits = locateRisk(command, reason, sub.argv[0], at, end)
      if (hits.length === 0 || reason === 'command substitution') {
        hits =
          reason === 'command substitution'
            ? [widenSubstitution(command, at, end)]
            : locateRisk(command, reason, sub.argv[0], windowStart, end)
      }
      for (const [s, e] of hits) spans.push({ start: s, end: e, reason })
    }
    cursor = end
    prevEnd = Math.max(prevEnd, end)
  }
  return segment(command, spans)
}

const EXPLANATIONS: Array<[RegExp, string]> = [
  [/^destructive/, 'Destructive: it can delete or overwrite data for good.'],
  [/^(writes|appends) to/, 'Writes a file from the shell, outside the reviewed edit tools.'],
  [/^command substitution/, 'Runs a command and uses its output: what runs is known only then.'],
  [/^runs as root/, 'Runs with administrator rights: it can change anything on the machine.'],
  [/^runs through/, 'Runs code handed to another program as text, which is harder to check.'],
  [/^sets /, 'Sets an environment variable that changes how programs load or behave.'],
  [/^network access/, 'Reaches the network: it may download code or send data out.'],
  [/^program name/, 'Which program runs depends on a variable or a pattern.'],
  [/^(deletes|truncates)/, 'Removes data.'],
  [/^edits files in place/, 'Changes files directly, outside the reviewed edit tools.'],
  [/^runs (a shell script|shell code)/, 'Runs a script whose content was not checked.'],
  [/^(pushes|publishes)/, 'Sends your work somewhere others can see it.'],
  [/^(rewrites history|moves HEAD|changes the working tree)/, 'Changes git history or files.'],
  [/^changes permissions/, 'Changes who may read, write or run files.'],
  [/^stops/, 'Stops running programs.'],
]

/** Why a reason is risky, in one sentence (for the tooltip). */
export function explainRisk(reason: string): string {
  return EXPLANATIONS.find(([re]) => re.test(reason))?.[1] ?? 'Flagged by the command check.'
}
