import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import { expect } from '@playwright/test'
import type { FakeLlm, StartFakeLlmOptions } from '../../support/fake-llm'
import { startFakeLlm } from '../../support/fake-llm'
import { connectClient } from '../../support/node-client'
import { tempDir } from '../../support/temp'
import type { RunningWebHost } from '../../support/web-host'
import { startWebHost } from '../../support/web-host'
import type { WsClient } from '../../../src/shared/ws-client'

/**
 * A web host whose model is the fake LLM server (through PADDOCK_BASE_URL, as a user would start
 * it), a project folder with a few files, and a contract client for setup the test is not about.
 */
export interface SessionHost {
  fake: FakeLlm
  host: RunningWebHost
  client: WsClient
  dataDir: string
  home: string
  project: string
  /** Open the project as a workspace (through the contract) and return its id. */
  openProject(): Promise<string>
  /** Create a session in the project, open the page on it and return the session id. */
  openSession(page: Page, title?: string): Promise<string>
  stop(): Promise<void>
  /**
   * Stop the web host and start a new one on the same data dir, as a user restarting Paddock
   * (`host` and `client` are the new ones afterwards; its address and token are new too).
   */
  restart(): Promise<void>
  /**
   * Kill the web host's process outright (SIGKILL: nothing is saved or closed), then start a new
   * one on the same data dir and the same port, so an open page reconnects by itself (its cookie
   * stays valid: the cookie's secret is kept in the data dir).
   */
  crash(): Promise<void>
}

export async function startSessionHost(
  opts: {
    files?: Record<string, string>
    env?: NodeJS.ProcessEnv
    /** false: start the host without a model of its own (to configure one in Settings). */
    hostModel?: boolean
    /** Options of the fake LLM server (the models it lists, the one key it accepts…). */
    fakeLlm?: StartFakeLlmOptions
    /** Runs before the host starts, e.g. to write a big session into the data dir. */
    prepare?: (paths: { dataDir: string; project: string }) => void | Promise<void>
  } = {},
): Promise<SessionHost> {
  const tmp = tempDir('paddock-e2e-')
  const dataDir = join(tmp.path, 'data')
  const home = join(tmp.path, 'home')
  const project = join(home, 'project')
  mkdirSync(project, { recursive: true })
  const files = opts.files ?? {
    'README.md': '# Demo\n\nA small project.\n',
    'src/math.ts': 'export function add(a: number, b: number): number {\n  return a + b\n}\n',
  }
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(project, rel, '..'), { recursive: true })
    writeFileSync(join(project, rel), text)
  }
  mkdirSync(dataDir, { recursive: true })
  await opts.prepare?.({ dataDir, project })
  const fake = await startFakeLlm(opts.fakeLlm)
  const hostEnv: NodeJS.ProcessEnv = {
    HOME: home,
    ...(opts.hostModel === false
      ? {}
      : {
          PADDOCK_BASE_URL: fake.baseUrl,
          PADDOCK_MODEL: 'fake-model',
          PADDOCK_API_KEY_ENV: 'PADDOCK_E2E_KEY',
          PADDOCK_E2E_KEY: 'e2e-key',
        }),
    ...opts.env,
  }
  let host = await startWebHost({ dataDir, env: hostEnv })
  let client = connectClient(host)
  let workspaceId: string | null = null
  const openProject = async (): Promise<string> => {
    workspaceId ??= (await client.call('workspaces.open', { path: project })).id
    return workspaceId
  }
  return {
    fake,
    get host() {
      return host
    },
    get client() {
      return client
    },
    dataDir,
    home,
    project,
    openProject,
    async openSession(page, title) {
      const ws = await openProject()
      const session = await client.call('sessions.create', {
        workspaceId: ws,
        ...(title ? { title } : {}),
      })
      if (page.url() === 'about:blank') await page.goto(host.url)
      const sidebar = page.getByRole('navigation', { name: 'Workspaces' })
      await sidebar.getByRole('button', { name: session.title, exact: true }).click()
      await expect(page.getByRole('tab', { name: session.title, exact: true })).toBeVisible()
      return session.id
    },
    async stop() {
      client.close()
      await host.stop()
      await fake.close()
      tmp.cleanup()
    },
    async restart() {
      client.close()
      await host.stop()
      host = await startWebHost({ dataDir, env: hostEnv })
      client = connectClient(host)
    },
    async crash() {
      client.close()
      const { child, port } = host
      const exited = new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) resolve()
        else child.once('exit', () => resolve())
      })
      child.kill('SIGKILL')
      await exited
      host = await startWebHost({ dataDir, env: hostEnv, port })
      client = connectClient(host)
    },
  }
}
