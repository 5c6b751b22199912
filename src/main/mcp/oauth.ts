import { createServer } from 'node:http'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js'
import {
  discoverAuthorizationServerMetadata,
  discoverOAuthProtectedResourceMetadata,
  refreshAuthorization,
} from '@modelcontextprotocol/sdk/client/auth.js'
import type {
  OAuthClientInformationMixed,
  OAuthClientMetadata,
  OAuthTokens,
} from '@modelcontextprotocol/sdk/shared/auth.js'
import type { Logger } from '../core/logger'
import { learnSecret } from '../core/redact'
import type { SecretStore } from '../secrets/secret-store'

/** Tokens are refreshed this long before they expire, in ms. */
export const REFRESH_MARGIN_MS = 60_000

/** Where a server's OAuth state rests in the SecretStore. */
export function oauthSecretName(server: string, what: 'tokens' | 'client'): string {
  return `mcp-oauth:${server}:${what}`
}

interface StoredTokens {
  tokens: OAuthTokens
  /** When the access token expires, ms since the epoch (absent: unknown). */
  expiresAt?: number
}

export interface OAuthDeps {
  server: string
  /** The server's MCP address (its protected resource). */
  url: URL
  secrets: SecretStore
  logger: Logger
  now: () => number
  /** Show the user where to consent (the app opens a browser; elsewhere it is shown). */
  openAuthorization: (server: string, url: URL) => void
}

/**
 * The SDK's OAuth client flow for one remote server: dynamic registration, the consent page (its
 * address given to `openAuthorization`), the code received on a loopback callback, tokens kept in
 * the SecretStore only. An access token about to expire is refreshed before it is used, behind one
 * lock: every session shares the server's connection, so concurrent requests wait for a single
 * refresh.
 */
export class McpOAuth implements OAuthClientProvider {
  private callback: Server | null = null
  private port = 0
  private verifier = ''
  private refreshing: Promise<void> | null = null
  private code: { resolve: (code: string) => void; reject: (err: Error) => void } | null = null
  /** The consent page last asked for, shown until the user gives consent. */
  pendingUrl: URL | null = null

  constructor(private readonly deps: OAuthDeps) {}

  /** Listen for the consent's redirect (a loopback port of its own). */
  async prepare(): Promise<void> {
    if (this.callback) return
    const server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1')
      const code = url.searchParams.get('code')
      if (url.pathname !== '/callback' || !code) {
        res.writeHead(404).end()
        return
      }
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' })
      res.end('Paddock is signed in to this MCP server. You can close this page.')
      this.pendingUrl = null
      this.code?.resolve(code)
      this.code = null
    })
    // The port registered before (an earlier process) first: the client registered with it, and
    // its refresh token, stay valid; another one only when that port is taken.
    const stored = this.read<{ redirect_uris?: string[] }>('client')
    const before = Number(
      /^http:\/\/127\.0\.0\.1:(\d+)\/callback$/.exec(stored?.redirect_uris?.[0] ?? '')?.[1] ?? 0,
    )
    const listen = (port: number): Promise<void> =>
      new Promise<void>((resolve, reject) => {
        server.once('error', reject)
        server.listen(port, '127.0.0.1', () => {
          server.off('error', reject)
          resolve()
        })
      })
    try {
      await listen(before)
    } catch (err) {
      if (before === 0) throw err
      await listen(0)
    }
    server.unref()
    this.callback = server
    this.port = (server.address() as AddressInfo).port
  }

  /** Wait for the consent's code, at most `ms`. */
  waitForCode(ms: number): Promise<string> {
    // A newer wait (the server restarted while a sign-in was pending) replaces the older one.
    this.code?.reject(new Error('A newer sign-in replaced this one.'))
    return new Promise((resolve, reject) => {
      const waiter = {
        resolve: (c: string) => {
          clearTimeout(timer)
          resolve(c)
        },
        reject: (err: Error) => {
          clearTimeout(timer)
          reject(err)
        },
      }
      const timer = setTimeout(() => {
        if (this.code === waiter) this.code = null
        reject(new Error('No sign-in happened in time; restart the server to try again.'))
      }, ms)
      timer.unref()
      this.code = waiter
    })
  }

  close(): void {
    this.code?.reject(new Error('closed'))
    this.code = null
    this.callback?.close()
    this.callback = null
  }

  get redirectUrl(): string {
    return `http://127.0.0.1:${this.port}/callback`
  }

  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: 'Paddock',
      redirect_uris: [this.redirectUrl],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    }
  }

  clientInformation(): OAuthClientInformationMixed | undefined {
    const stored = this.read<OAuthClientInformationMixed & { redirect_uris?: string[] }>('client')
    // Registered for another callback port (an earlier process): register again.
    if (stored?.redirect_uris && !stored.redirect_uris.includes(this.redirectUrl)) return undefined
    return stored
  }

  saveClientInformation(info: OAuthClientInformationMixed): void {
    this.write('client', { ...info, redirect_uris: [this.redirectUrl] })
  }

  async tokens(): Promise<OAuthTokens | undefined> {
    const stored = this.read<StoredTokens>('tokens')
    if (!stored) return undefined
    const due =
      stored.expiresAt !== undefined && stored.expiresAt - this.deps.now() < REFRESH_MARGIN_MS
    if (due && stored.tokens.refresh_token) {
      await this.refresh(stored.tokens.refresh_token)
      return this.read<StoredTokens>('tokens')?.tokens
    }
    return stored.tokens
  }

  saveTokens(tokens: OAuthTokens): void {
    const stored: StoredTokens = {
      tokens,
      ...(tokens.expires_in !== undefined
        ? { expiresAt: this.deps.now() + tokens.expires_in * 1000 }
        : {}),
    }
    this.write('tokens', stored)
  }

  redirectToAuthorization(url: URL): void {
    this.pendingUrl = url
    this.deps.openAuthorization(this.deps.server, url)
  }

  saveCodeVerifier(verifier: string): void {
    this.verifier = verifier
  }

  codeVerifier(): string {
    return this.verifier
  }

  invalidateCredentials(scope: 'all' | 'client' | 'tokens' | 'verifier' | 'discovery'): void {
    if (scope === 'all' || scope === 'tokens')
      this.deps.secrets.delete(oauthSecretName(this.deps.server, 'tokens'))
    if (scope === 'all' || scope === 'client')
      this.deps.secrets.delete(oauthSecretName(this.deps.server, 'client'))
  }

  /** One refresh at a time: a caller that finds one running waits for it. */
  private refresh(refreshToken: string): Promise<void> {
    this.refreshing ??= this.refreshNow(refreshToken).finally(() => {
      this.refreshing = null
    })
    return this.refreshing
  }

  private async refreshNow(refreshToken: string): Promise<void> {
    const client = this.clientInformation()
    if (!client) return
    try {
      const resource = await discoverOAuthProtectedResourceMetadata(this.deps.url)
      const issuer = new URL(resource.authorization_servers?.[0] ?? this.deps.url.origin)
      const metadata = await discoverAuthorizationServerMetadata(issuer)
      const tokens = await refreshAuthorization(issuer, {
        ...(metadata ? { metadata } : {}),
        clientInformation: client,
        refreshToken,
        resource: new URL(resource.resource),
      })
      this.saveTokens(tokens)
    } catch (err) {
      // The server asks again (401) and the SDK's flow takes over from there.
      this.deps.logger.log('warn', 'mcp oauth refresh failed', {
        server: this.deps.server,
        error: err instanceof Error ? err.message : String(err),
      })
    }
  }

  private read<T>(what: 'tokens' | 'client'): T | undefined {
    const raw = this.deps.secrets.get(oauthSecretName(this.deps.server, what))
    if (!raw) return undefined
    try {
      const value = JSON.parse(raw) as T
      learnTokens(value)
      return value
    } catch {
      return undefined
    }
  }

  private write(what: 'tokens' | 'client', value: unknown): void {
    learnTokens(value)
    this.deps.secrets.set(oauthSecretName(this.deps.server, what), JSON.stringify(value))
  }
}

/**
 * The tokens themselves are secrets to redact (the store learns the stored JSON whole, which a
 * token echoed alone would not match).
 */
function learnTokens(value: unknown): void {
  if (typeof value !== 'object' || value === null) return
  const v = value as Record<string, unknown>
  for (const key of ['access_token', 'refresh_token', 'id_token', 'client_secret']) {
    if (typeof v[key] === 'string') learnSecret(v[key])
  }
}
