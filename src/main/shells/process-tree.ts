import { execFileSync } from 'node:child_process'
import { readFileSync, readdirSync } from 'node:fs'

export interface ProcessRow {
  pid: number
  ppid: number
  pgid: number
  /** Session id (Linux); -1 where unknown. */
  sid: number
}

/** Every process of the machine: /proc on Linux, `ps` elsewhere (macOS, BSD). */
export function listProcesses(platform: NodeJS.Platform = process.platform): ProcessRow[] {
  if (platform === 'linux') return fromProc()
  const out = execFileSync('ps', ['-A', '-o', 'pid=,ppid=,pgid='], { encoding: 'utf8' })
  return parsePs(out)
}

export function parsePs(out: string): ProcessRow[] {
  const rows: ProcessRow[] = []
  for (const line of out.split('\n')) {
    const [pid, ppid, pgid] = line.trim().split(/\s+/).map(Number)
    if (pid === undefined || ppid === undefined || pgid === undefined) continue
    if (!Number.isInteger(pid) || !Number.isInteger(ppid) || !Number.isInteger(pgid)) continue
    rows.push({ pid, ppid, pgid, sid: -1 })
  }
  return rows
}

/** Parse /proc/<pid>/stat (the command name may hold spaces and parentheses). */
export function parseProcStat(stat: string): ProcessRow | null {
  const close = stat.lastIndexOf(')')
  if (close === -1) return null
  const pid = Number(stat.slice(0, stat.indexOf(' ')))
  const fields = stat.slice(close + 2).split(' ')
  // fields: state ppid pgrp session …
  const ppid = Number(fields[1])
  const pgid = Number(fields[2])
  const sid = Number(fields[3])
  if (![pid, ppid, pgid, sid].every(Number.isInteger)) return null
  return { pid, ppid, pgid, sid }
}

function fromProc(): ProcessRow[] {
  const rows: ProcessRow[] = []
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    try {
      const row = parseProcStat(readFileSync(`/proc/${name}/stat`, 'utf8'))
      if (row) rows.push(row)
    } catch {
      // Gone between the listing and the read.
    }
  }
  return rows
}

/**
 * The processes a shell started: its descendants, and anything still in its session or process
 * group (a job whose parent already exited is re-parented to init but keeps those).
 */
export function shellTree(rows: ProcessRow[], shellPid: number): number[] {
  const children = new Map<number, number[]>()
  for (const r of rows) {
    const list = children.get(r.ppid) ?? []
    list.push(r.pid)
    children.set(r.ppid, list)
  }
  const found = new Set<number>()
  const stack = [shellPid]
  while (stack.length > 0) {
    const pid = stack.pop()!
    if (found.has(pid)) continue
    found.add(pid)
    for (const c of children.get(pid) ?? []) stack.push(c)
  }
  for (const r of rows) {
    if (r.sid === shellPid || r.pgid === shellPid) found.add(r.pid)
  }
  found.delete(process.pid)
  return [...found]
}

/**
 * Kill a shell and everything it started, at once (SIGKILL: the session is being deleted or the
 * host is stopping; there is nobody left to read what they would print). Two passes catch children
 * forked while the first pass ran. Returns the pids signalled.
 */
export function killShellTree(
  shellPid: number,
  platform: NodeJS.Platform = process.platform,
): number[] {
  const killed = new Set<number>()
  for (let pass = 0; pass < 2; pass++) {
    let rows: ProcessRow[]
    try {
      rows = listProcesses(platform)
    } catch {
      rows = []
    }
    const pids = rows.length > 0 ? shellTree(rows, shellPid) : [shellPid]
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL')
        killed.add(pid)
      } catch {
        // Already gone.
      }
    }
    try {
      process.kill(-shellPid, 'SIGKILL')
    } catch {
      // No such group (any more).
    }
  }
  return [...killed]
}
