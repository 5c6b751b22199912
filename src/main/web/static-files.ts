import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import type { ServerResponse } from 'node:http'
import { extname, join, normalize } from 'node:path'
import { isWithin } from '../core/within'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.map': 'application/json',
}

/**
 * Serve a file of the built renderer. `urlPath` is the decoded request path; anything that would
 * resolve outside `root` (`..`, absolute, NUL) is a 404, never a read.
 */
export async function serveStatic(
  root: string,
  urlPath: string,
  res: ServerResponse,
): Promise<void> {
  const rel = urlPath === '/' ? 'index.html' : urlPath.replace(/^\/+/, '')
  const full = normalize(join(root, rel))
  if (rel.includes('\0') || !isWithin(root, full)) {
    notFound(res)
    return
  }
  try {
    const info = await stat(full)
    if (!info.isFile()) {
      notFound(res)
      return
    }
    const type = TYPES[extname(full).toLowerCase()] ?? 'application/octet-stream'
    res.statusCode = 200
    res.setHeader('Content-Type', type)
    res.setHeader('Content-Length', info.size)
    res.setHeader(
      'Cache-Control',
      rel.startsWith('assets/') ? 'private, max-age=31536000, immutable' : 'no-store',
    )
    createReadStream(full).pipe(res)
  } catch {
    notFound(res)
  }
}

function notFound(res: ServerResponse): void {
  res.statusCode = 404
  res.setHeader('Content-Type', 'text/plain; charset=utf-8')
  res.end('Not found')
}
