import { createHash } from 'node:crypto'

/** A git object id: 40 lowercase hex digits (SHA-1). */
export type Oid = string
export type ObjectType = 'blob' | 'tree' | 'commit' | 'tag'

export const OID_RE = /^[0-9a-f]{40}$/
export const EMPTY_TREE_OID = '4b825dc642cb6eb9a060e54bf8d69288fbee4904'

/** Git file modes as numbers (tree entries write them in octal). */
export const MODE_FILE = 0o100644
export const MODE_EXEC = 0o100755
export const MODE_LINK = 0o120000
export const MODE_TREE = 0o40000
export const MODE_GITLINK = 0o160000

/** The git mode of a file from its `st_mode`: a symlink, or a file with or without the owner's x bit. */
export function gitModeOf(stMode: number, isSymbolicLink: boolean): number {
  if (isSymbolicLink) return MODE_LINK
  return stMode & 0o100 ? MODE_EXEC : MODE_FILE
}

export function objectHeader(type: ObjectType, size: number): Buffer {
  return Buffer.from(`${type} ${size}\0`, 'latin1')
}

/** The id git gives `content` as an object of `type` (`git hash-object -t type`). */
export function hashObject(type: ObjectType, content: Buffer): Oid {
  return createHash('sha1').update(objectHeader(type, content.length)).update(content).digest('hex')
}

export interface TreeEntry {
  name: string
  mode: number
  oid: Oid
}

function needsByteCompare(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 0xd800) return true
  return false
}

/**
 * Git's tree order: names compared as bytes, a tree's name as if it ended in `/`. Code-unit order
 * equals UTF-8 byte order except around surrogates, where we compare the bytes.
 */
export function compareTreeEntries(a: TreeEntry, b: TreeEntry): number {
  const an = a.mode === MODE_TREE ? `${a.name}/` : a.name
  const bn = b.mode === MODE_TREE ? `${b.name}/` : b.name
  if (needsByteCompare(an) || needsByteCompare(bn)) {
    return Buffer.compare(Buffer.from(an, 'utf8'), Buffer.from(bn, 'utf8'))
  }
  return an < bn ? -1 : an > bn ? 1 : 0
}

/** A tree object's content; `entries` in any order (sorted here). */
export function encodeTree(entries: TreeEntry[]): Buffer {
  const sorted = [...entries].sort(compareTreeEntries)
  const parts: Buffer[] = []
  for (const e of sorted) {
    parts.push(Buffer.from(`${e.mode.toString(8)} ${e.name}\0`, 'utf8'), Buffer.from(e.oid, 'hex'))
  }
  return Buffer.concat(parts)
}

export function decodeTree(content: Buffer): TreeEntry[] {
  const entries: TreeEntry[] = []
  let i = 0
  while (i < content.length) {
    const space = content.indexOf(0x20, i)
    const nul = content.indexOf(0, space + 1)
    if (space < 0 || nul < 0 || nul + 21 > content.length) {
      throw new Error('malformed tree object')
    }
    const mode = parseInt(content.toString('latin1', i, space), 8)
    const name = content.toString('utf8', space + 1, nul)
    const oid = content.toString('hex', nul + 1, nul + 21)
    entries.push({ name, mode, oid })
    i = nul + 21
  }
  return entries
}

export interface CommitData {
  tree: Oid
  parents: Oid[]
  /** Seconds since the epoch. */
  time: number
  message: string
}

const IDENT = 'Paddock <checkpoints@paddock.invalid>'

export function encodeCommit(c: CommitData): Buffer {
  const lines = [`tree ${c.tree}`, ...c.parents.map((p) => `parent ${p}`)]
  lines.push(`author ${IDENT} ${c.time} +0000`, `committer ${IDENT} ${c.time} +0000`, '', c.message)
  return Buffer.from(lines.join('\n'), 'utf8')
}

export function decodeCommit(content: Buffer): CommitData {
  const text = content.toString('utf8')
  const split = text.indexOf('\n\n')
  const head = split < 0 ? text : text.slice(0, split)
  const message = split < 0 ? '' : text.slice(split + 2)
  let tree: string | undefined
  const parents: string[] = []
  let time = 0
  for (const line of head.split('\n')) {
    if (line.startsWith('tree ')) tree = line.slice(5)
    else if (line.startsWith('parent ')) parents.push(line.slice(7))
    else if (line.startsWith('committer ')) {
      const m = / (\d+) [+-]\d{4}$/.exec(line)
      if (m) time = Number(m[1])
    }
  }
  if (!tree || !OID_RE.test(tree)) throw new Error('malformed commit object: no tree')
  return { tree, parents, time, message }
}
