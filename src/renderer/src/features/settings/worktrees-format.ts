/**
 * How the Worktrees section words sizes, times and folders. Pure, so the table reads the same in
 * every row and the functions can be tested alone.
 */

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'] as const

/** Bytes in human units ("12.4 MB"); `truncated` marks a lower bound ("≥ 2.0 GB"). */
export function formatSize(bytes: number, truncated = false): string {
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024
    unit++
  }
  const text = unit === 0 ? `${value} B` : `${value.toFixed(value < 10 ? 1 : 0)} ${UNITS[unit]}`
  return truncated ? `≥ ${text}` : text
}

/** How long ago `at` was, in words ("just now", "5 min ago", "3 days ago"). */
export function formatAgo(at: number, now: number = Date.now()): string {
  const seconds = Math.max(0, Math.round((now - at) / 1000))
  if (seconds < 45) return 'just now'
  const minutes = Math.round(seconds / 60)
  if (minutes < 60) return `${minutes} min ago`
  const hours = Math.round(minutes / 60)
  if (hours < 24) return `${hours} h ago`
  const days = Math.round(hours / 24)
  return days === 1 ? 'yesterday' : `${days} days ago`
}

/** A date for "restorable until …": day and month, with the year when it is not this one. */
export function formatDate(at: number, now: number = Date.now()): string {
  const date = new Date(at)
  const sameYear = date.getFullYear() === new Date(now).getFullYear()
  return date.toLocaleDateString(undefined, {
    day: 'numeric',
    month: 'short',
    ...(sameYear ? {} : { year: 'numeric' }),
  })
}

/** A date and time, for a title attribute beside a relative time. */
export function formatWhen(at: number): string {
  return new Date(at).toLocaleString()
}

/**
 * The last two parts of a folder path ("project.worktrees/login-form"): what a table row shows,
 * enough to tell the repositories apart; the whole path goes in its title.
 */
export function folderName(path: string): string {
  const parts = path.split(/[\\/]+/).filter(Boolean)
  return parts.slice(-2).join('/') || path
}
