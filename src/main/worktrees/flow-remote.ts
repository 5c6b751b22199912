/**
 * Remote URLs, parsed without the network: which host and repository a remote points at, and the
 * GitHub compare page that opens a pull request when the GitHub CLI cannot.
 */

export interface RemoteLocation {
  /** Lowercased host name, without user or port. */
  host: string
  /** The repository path on the host, without `.git` or slashes around it (`owner/repo`). */
  path: string
}

/**
 * Parses the remote URL forms git accepts: `https://[user@]host[:port]/path(.git)`, `ssh://`,
 * `git://`, `git+ssh://`, and the scp-like `[user@]host:path(.git)`. Undefined for local paths and
 * `file://` remotes (there is no web page for them).
 */
export function parseRemoteUrl(url: string): RemoteLocation | undefined {
  const text = url.trim()
  const scheme =
    /^(?:https?|ssh|git|git\+ssh|ssh\+git):\/\/(?:[^@/]*@)?([^/:?#]+)(?::\d*)?\/([^?#]*)/i
  const scp = /^(?:[^@/:]+@)?([^/:]+):(?!\/\/)([^?#]*)$/
  const m = scheme.exec(text) ?? (/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? null : scp.exec(text))
  if (!m) return undefined
  const host = (m[1] ?? '').toLowerCase()
  // A one-letter "host" is a Windows drive (C:\repo), not a remote.
  if (host === '' || /^[a-z]$/i.test(host)) return undefined
  const path = (m[2] ?? '')
    .replace(/^\/+|\/+$/g, '')
    .replace(/\.git$/i, '')
    .replace(/\/+$/, '')
  if (path === '') return undefined
  return { host, path }
}

export type CompareUrl = { url: string } | { url: null; reason: string }

/** Encodes a branch name for a URL path, keeping its slashes (`paddock/fix-login`). */
function encodeRef(ref: string): string {
  return ref.split('/').map(encodeURIComponent).join('/')
}

/**
 * The page that opens a pull request of `branch` into `base` on github.com:
 * `https://github.com/OWNER/REPO/compare/BASE...BRANCH?expand=1`. Other hosts get a null URL and
 * the reason.
 */
export function githubCompareUrl(remoteUrl: string, base: string, branch: string): CompareUrl {
  const loc = parseRemoteUrl(remoteUrl)
  if (!loc) return { url: null, reason: `The remote ${remoteUrl} is not a web-hosted repository` }
  const host = loc.host.replace(/^www\./, '')
  if (host !== 'github.com' && host !== 'ssh.github.com')
    return {
      url: null,
      reason: `The remote is on ${loc.host}, not github.com: open the pull request on that site`,
    }
  const parts = loc.path.split('/')
  if (parts.length !== 2 || parts.some((p) => p === '' || p === '.' || p === '..'))
    return { url: null, reason: `${remoteUrl} does not name a GitHub repository (OWNER/REPO)` }
  const [owner = '', repo = ''] = parts
  return {
    url: `https://github.com/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}/compare/${encodeRef(base)}...${encodeRef(branch)}?expand=1`,
  }
}
