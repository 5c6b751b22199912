import { rmSync } from 'node:fs'
import type { Locator, Page, WebSocketRoute } from '@playwright/test'
import { expect, test } from '@playwright/test'
import type { SessionHost } from './support/session-host'
import { startSessionHost } from './support/session-host'

/**
 * The Terminal panel against the web host's real shells: what the agent runs shows up there (and
 * is marked as the agent's), the user types into the same shell, the screen survives a page reload
 * and — restored and marked — a host restart, and user terminals open, exit and restart.
 * The page runs with the test flag, so the tests can read xterm's buffer (`__paddockTerminals`).
 */

let sh: SessionHost

test.beforeAll(async () => {
  sh = await startSessionHost()
})
test.afterAll(async () => {
  await sh?.stop()
})
test.beforeEach(async ({ page }) => {
  await page.addInitScript(() => {
    ;(window as { __PADDOCK_TEST__?: boolean }).__PADDOCK_TEST__ = true
  })
})

type Hooks = {
  text(id: string): string | null
  serialize(id: string): string | null
  renderer(id: string): string | null
  scrollbarQuiet(id: string): boolean | null
}

function region(page: Page): Locator {
  return page.getByRole('region', { name: 'Terminal' })
}

/** The id of the terminal the panel shows. */
async function shownTerminal(page: Page): Promise<string> {
  const host = region(page).locator('.terminal-host')
  await expect(host).toHaveCount(1)
  const id = await host.getAttribute('data-terminal-id')
  expect(id).toBeTruthy()
  return id!
}

/** The lines of a terminal's buffer (scrollback and screen) as xterm holds them. */
async function bufferLines(page: Page, terminalId: string): Promise<string[]> {
  const text = await page.evaluate(
    (id) =>
      (window as unknown as { __paddockTerminals?: Hooks }).__paddockTerminals?.text(id) ?? null,
    terminalId,
  )
  return text === null ? [] : text.split('\n').map((l) => l.trimEnd())
}

async function serialized(page: Page, terminalId: string): Promise<string | null> {
  return page.evaluate(
    (id) =>
      (window as unknown as { __paddockTerminals?: Hooks }).__paddockTerminals?.serialize(id) ??
      null,
    terminalId,
  )
}

/** Type into the shown terminal as a user does: click it, then keys. */
async function typeInTerminal(page: Page, text: string): Promise<void> {
  await region(page).locator('.terminal-screen').click()
  await page.keyboard.type(text)
  await page.keyboard.press('Enter')
}

/** Let the agent run one command in its shell (full-auto: no question asked). */
async function agentRuns(sessionId: string, command: string): Promise<void> {
  sh.fake.script({ toolCalls: [{ name: 'bash', arguments: { command } }] }, { text: 'Ran it.' })
  await sh.client.call('sessions.prompt', {
    sessionId,
    text: `Run ${command}`,
    mode: 'full-auto',
  })
}

test("the terminal shows the agent's command and its output, marked as the agent's", async ({
  page,
}) => {
  const sessionId = await sh.openSession(page, 'Agent command')
  const terminal = region(page)
  await expect(terminal.getByRole('tab', { name: 'Agent', exact: true })).toHaveAttribute(
    'aria-selected',
    'true',
  )
  await agentRuns(sessionId, 'echo agent-was-here && grep --color=always -n add src/math.ts')

  const id = await shownTerminal(page)
  await expect.poll(() => bufferLines(page, id)).toContain('agent-was-here')
  const lines = await bufferLines(page, id)
  expect(
    lines.some((l) => l.endsWith('echo agent-was-here && grep --color=always -n add src/math.ts')),
  ).toBe(true)
  // The anchor the host writes before the command is not shown.
  expect(lines.join('\n')).not.toContain('6973')
  // Colours are kept: grep's red match survives into the serialized screen.
  expect(lines).toContain('1:export function add(a: number, b: number): number {')
  expect(await serialized(page, id)).toMatch(/\[([0-9]+;)*31(;[0-9]+)*m/)

  // The command's line carries the agent's mark in the gutter.
  await expect(terminal.locator('.terminal-agent-mark')).toHaveCount(1)

  // Ctrl+F finds in the scrollback; Escape closes the box and gives the terminal its keys back.
  await terminal.locator('.terminal-screen').click()
  await page.keyboard.press('Control+f')
  const find = terminal.getByRole('textbox', { name: 'Find in terminal' })
  await expect(find).toBeFocused()
  await find.fill('agent-was-here')
  await expect(terminal.getByRole('search', { name: 'Find in terminal' })).toContainText(/of 2/)
  await find.press('Escape')
  await expect(find).toHaveCount(0)

  await expect(page.getByRole('region', { name: 'Transcript' })).toContainText('Ran it.')

  // The transcript's bash card can take the user to the command: from another tab, back to the
  // agent's terminal, the command's line flashed.
  await terminal.getByRole('button', { name: 'New terminal', exact: true }).click()
  await expect(terminal.getByRole('tab', { name: 'Terminal 2', exact: true })).toHaveAttribute(
    'aria-selected',
    'true',
  )
  await page
    .getByRole('region', { name: 'Transcript' })
    .getByRole('article', { name: /^Tool call bash/ })
    .getByRole('button', { name: 'Show in terminal' })
    .click()
  await expect(terminal.getByRole('tab', { name: 'Agent', exact: true })).toHaveAttribute(
    'aria-selected',
    'true',
  )
  const flash = terminal.locator('.terminal-reveal-flash')
  await expect(flash).toHaveCount(1)
  await expect(flash).toHaveCount(0)

  // For the pictures: the terminal has the focus (its cursor shows as a bar), the mouse is away.
  await terminal.locator('.terminal-screen').click()
  await page.mouse.move(1, 1)
  await page.screenshot({ path: 'docs/terminal.png' })
  await page.emulateMedia({ colorScheme: 'dark' })
  await expect(terminal.locator('.terminal-host')).toHaveCSS('background-color', 'rgb(31, 31, 31)')
  await page.screenshot({ path: 'docs/terminal-dark.png' })
})

test("without WebGL, xterm's DOM renderer draws the terminal and follows the colour scheme", async ({
  page,
}) => {
  // As on a machine whose GPU is blocklisted: no WebGL context can be made.
  await page.addInitScript(() => {
    const original = HTMLCanvasElement.prototype.getContext
    HTMLCanvasElement.prototype.getContext = function (
      this: HTMLCanvasElement,
      type: string,
      ...rest: unknown[]
    ) {
      if (type === 'webgl' || type === 'webgl2') return null
      return (original as (...a: unknown[]) => unknown).call(this, type, ...rest)
    } as typeof original
  })
  const sessionId = await sh.openSession(page, 'No WebGL')
  const terminal = region(page)
  await expect(terminal.locator('.terminal-host')).toHaveAttribute('data-renderer', 'dom')
  await agentRuns(sessionId, 'echo drawn-by-the-dom')
  const rows = terminal.locator('.xterm-rows')
  await expect(rows).toContainText('echo drawn-by-the-dom')
  await expect(rows.locator('div').filter({ hasText: /^drawn-by-the-dom\s*$/ })).toHaveCount(1)
  await expect(terminal.locator('.terminal-agent-mark')).toHaveCount(1)
  // Light, then dark: the text takes each scheme's foreground (styles/base.css --fg).
  await page.emulateMedia({ colorScheme: 'light' })
  await expect(rows).toHaveCSS('color', 'rgb(31, 31, 31)')
  await page.emulateMedia({ colorScheme: 'dark' })
  await expect(rows).toHaveCSS('color', 'rgb(204, 204, 204)')
})

/** WebGL reports `name` as its renderer (UNMASKED_RENDERER_WEBGL), as that GPU or rasterizer would. */
async function webglRendererNamed(page: Page, name: string): Promise<void> {
  await page.addInitScript((rendererName: string) => {
    const original = WebGL2RenderingContext.prototype.getParameter
    WebGL2RenderingContext.prototype.getParameter = function (
      this: WebGL2RenderingContext,
      pname: number,
    ): unknown {
      return pname === 0x9246 ? rendererName : original.call(this, pname)
    }
  }, name)
}

test('on a software rasterizer the DOM renderer draws; with a GPU, WebGL does', async ({
  page,
}) => {
  // A machine without a usable GPU (a VM, a remote desktop): WebGL would run on the CPU.
  await webglRendererNamed(page, 'llvmpipe (LLVM 15.0.6, 256 bits)')
  await sh.openSession(page, 'Software GL')
  await expect(region(page).locator('.terminal-host')).toHaveAttribute('data-renderer', 'dom')

  const gpu = await page.context().newPage()
  await gpu.addInitScript(() => {
    ;(window as { __PADDOCK_TEST__?: boolean }).__PADDOCK_TEST__ = true
  })
  await webglRendererNamed(gpu, 'ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 Direct3D11 vs_5_0 ps_5_0)')
  await sh.openSession(gpu, 'GPU')
  await expect(region(gpu).locator('.terminal-host')).toHaveAttribute('data-renderer', 'webgl')
  await gpu.close()
})

test('output does not flash the scrollbar (xterm would set a timer per line); hovering shows it', async ({
  page,
}) => {
  await sh.openSession(page, 'Quiet scrollbar')
  const id = await shownTerminal(page)
  const quiet = await page.evaluate(
    (tid) =>
      (window as unknown as { __paddockTerminals?: Hooks }).__paddockTerminals?.scrollbarQuiet(
        tid,
      ) ?? null,
    id,
  )
  expect(quiet).toBe(true)
  // The pointer away from the terminal, output pours for about two seconds: sampled all along,
  // the scrollbar never shows.
  await region(page).locator('.terminal-screen').click()
  await page.keyboard.type('for i in $(seq 1 40); do echo line-$i; sleep 0.05; done')
  await page.mouse.move(1, 1)
  const scrollbar = region(page).locator('.xterm-scrollable-element > .scrollbar.vertical')
  const sampled = page.evaluate(async () => {
    const bar = document.querySelector('.xterm-scrollable-element > .scrollbar.vertical')
    const seen: string[] = []
    for (let i = 0; i < 25; i++) {
      seen.push(bar?.className ?? 'missing')
      await new Promise((r) => setTimeout(r, 80))
    }
    return seen
  })
  await page.keyboard.press('Enter')
  const classes = await sampled
  await expect.poll(() => bufferLines(page, id)).toContain('line-40')
  expect(classes.filter((c) => !/\binvisible\b/.test(c))).toEqual([])
  await region(page).locator('.terminal-screen').hover()
  await expect(scrollbar).toHaveClass(/\bvisible\b/)
  await expect(scrollbar).not.toHaveClass(/\binvisible\b/)
})

test('typing echo hi and Enter in the terminal shows hi', async ({ page }) => {
  await sh.openSession(page, 'Typing')
  const id = await shownTerminal(page)
  await typeInTerminal(page, 'echo hi')
  await expect.poll(() => bufferLines(page, id)).toContain('hi')
})

test('the terminal resizes with its pane, and the shell learns its new size', async ({ page }) => {
  const sessionId = await sh.openSession(page, 'Resize')
  const id = await shownTerminal(page)
  const hostRows = async (): Promise<number> =>
    (await sh.client.call('terminals.list', { sessionId })).find((t) => t.terminalId === id)!.rows
  // Fitted to the pane at once (the host's default is 24 rows).
  await expect.poll(hostRows).not.toBe(24)
  const before = await hostRows()
  const divider = page.getByRole('separator', { name: 'Resize changes and terminal' })
  await divider.focus()
  for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowUp')
  await expect.poll(hostRows).toBeGreaterThan(before + 2)
  const after = await hostRows()
  await typeInTerminal(page, 'tput lines')
  await expect.poll(() => bufferLines(page, id)).toContain(String(after))
})

test('after a page reload the terminal shows the same screen', async ({ page }) => {
  const sessionId = await sh.openSession(page, 'Reload')
  const id = await shownTerminal(page)
  await typeInTerminal(page, 'printf "\\033[32mgreen\\033[0m-%s\\n" one two three')
  await expect.poll(() => bufferLines(page, id)).toContain('green-three')
  await agentRuns(sessionId, 'echo before-reload')
  await expect.poll(() => bufferLines(page, id)).toContain('before-reload')
  await expect(page.getByRole('region', { name: 'Transcript' })).toContainText('Ran it.')
  // Settled: the screen stops changing once the prompt is back.
  let before = ''
  await expect
    .poll(async () => {
      const now = (await serialized(page, id)) ?? ''
      const same = now === before && now !== ''
      before = now
      return same
    })
    .toBe(true)

  await page.reload()
  await expect(shownTerminalLocator(page)).toHaveAttribute('data-terminal-id', id)
  await expect.poll(() => serialized(page, id)).toBe(before)
  // Colours came back too (the serialized screen carries SGR).
  expect(before).toContain('\u001b[32m')
})

test('after a dropped connection the terminal attaches again, missing nothing', async ({
  page,
}) => {
  // The page's socket goes through Playwright, so the test can cut it like a network would.
  const sockets: WebSocketRoute[] = []
  await page.routeWebSocket(/\/ws$/, (ws) => {
    ws.connectToServer()
    sockets.push(ws)
  })
  await sh.openSession(page, 'Reconnect')
  const id = await shownTerminal(page)
  await typeInTerminal(page, 'echo before-the-drop')
  await expect.poll(() => bufferLines(page, id)).toContain('before-the-drop')
  expect(sockets).toHaveLength(1)

  await sockets[0]!.close({ code: 4000, reason: 'network drop' })
  // While this window is away the shell goes on (typed through another client).
  await sh.client.call('terminals.input', { terminalId: id, data: 'echo while-away\r' })
  await expect.poll(() => sockets.length).toBe(2)
  await expect.poll(() => bufferLines(page, id)).toContain('while-away')
  await typeInTerminal(page, 'echo after-the-drop')
  await expect.poll(() => bufferLines(page, id)).toContain('after-the-drop')
  const lines = await bufferLines(page, id)
  expect(lines.filter((l) => l === 'before-the-drop')).toHaveLength(1)
  expect(lines.filter((l) => l === 'while-away')).toHaveLength(1)
})

test("the agent waits for the user's own command in its shell, and says so", async ({ page }) => {
  const sessionId = await sh.openSession(page, 'Waiting')
  const id = await shownTerminal(page)
  const terminal = region(page)
  // The user runs something that waits for input in the agent's shell…
  await typeInTerminal(page, 'cat')
  await expect(terminal.getByRole('tab', { name: 'Agent', exact: true })).toHaveAttribute(
    'data-state',
    'busy',
  )
  // …so the agent's command waits, and the panel says why.
  await agentRuns(sessionId, 'echo after-cat')
  const waiting = terminal.getByRole('status').filter({ hasText: 'waiting' })
  await expect(waiting).toHaveText('The agent is waiting for your command to finish')
  expect(await bufferLines(page, id)).not.toContain('after-cat')
  // The user ends cat (Ctrl+D): the agent's command runs.
  await page.keyboard.press('Control+d')
  await expect.poll(() => bufferLines(page, id)).toContain('after-cat')
  await expect(waiting).toHaveCount(0)
})

test("two Tabs left in the agent's terminal do not stall the agent's next command", async ({
  page,
}) => {
  const sessionId = await sh.openSession(page, 'Stray Tab')
  const id = await shownTerminal(page)
  const [agent] = await sh.client.call('terminals.list', { sessionId })
  test.skip(!agent!.shell.endsWith('bash'), "the completion question is bash's")
  // Two Tabs at the empty prompt: bash asks whether to list every command there is.
  await region(page).locator('.terminal-screen').click()
  await page.keyboard.press('Tab')
  await page.keyboard.press('Tab')
  await expect
    .poll(async () => (await bufferLines(page, id)).some((l) => /\(y or n\)$/.test(l)))
    .toBe(true)
  // The agent's command is not typed into that question: it runs, at a clean prompt.
  await agentRuns(sessionId, 'echo agent-ok')
  await expect.poll(() => bufferLines(page, id)).toContain('agent-ok')
  expect((await bufferLines(page, id)).some((l) => l.includes('--More--'))).toBe(false)
})

test('a shell that cannot start says why', async ({ page }) => {
  const own = await startSessionHost()
  try {
    await own.openSession(page, 'No folder')
    const terminal = region(page)
    await terminal.getByRole('button', { name: 'New terminal', exact: true }).click()
    const tab = terminal.getByRole('tab', { name: 'Terminal 2', exact: true })
    await expect(tab).toHaveAttribute('aria-selected', 'true')
    // The project folder disappears; the shell ends and cannot start again in it.
    rmSync(own.project, { recursive: true, force: true })
    await typeInTerminal(page, 'exit')
    await terminal.getByRole('button', { name: 'Restart shell', exact: true }).click()
    const alert = terminal.getByRole('alert')
    await expect(alert).toContainText('the folder does not exist')
    await expect(alert).toContainText(own.project)
    await expect(tab).toHaveAttribute('data-state', 'failed')
    await expect(alert.getByRole('button', { name: 'Restart shell', exact: true })).toBeVisible()
  } finally {
    await own.stop()
  }
})

function shownTerminalLocator(page: Page): Locator {
  return region(page).locator('.terminal-host')
}

test('after a host restart the scrollback is back, marked as restored', async ({ page }) => {
  const title = 'Restart'
  const sessionId = await sh.openSession(page, title)
  await agentRuns(sessionId, 'echo from-the-last-run')
  const before = await shownTerminal(page)
  await expect.poll(() => bufferLines(page, before)).toContain('from-the-last-run')
  await expect(page.getByRole('region', { name: 'Transcript' })).toContainText('Ran it.')

  await sh.restart()
  await page.goto(sh.host.url)
  const sidebar = page.getByRole('navigation', { name: 'Workspaces' })
  await sidebar.getByRole('button', { name: title, exact: true }).click()

  const terminal = region(page)
  await expect(terminal.getByRole('note')).toContainText('Scrollback restored from')
  const after = await shownTerminal(page)
  expect(after).not.toBe(before)
  await expect.poll(() => bufferLines(page, after)).toContain('from-the-last-run')
  const lines = await bufferLines(page, after)
  expect(lines.some((l) => /restored from .*the shell was restarted/.test(l))).toBe(true)
  // A fresh shell runs below the old screen.
  await typeInTerminal(page, 'echo new-shell')
  await expect.poll(() => bufferLines(page, after)).toContain('new-shell')
  // The marker stays while the terminal lives.
  await expect(terminal.getByRole('note')).toBeVisible()
})

test('tabbing into the terminal shows how to leave it; clicking into it does not', async ({
  page,
}) => {
  await sh.openSession(page, 'Focus hint')
  const terminal = region(page)
  const input = terminal.locator('.xterm-helper-textarea')
  const hint = terminal.getByRole('status').filter({ hasText: 'to leave the terminal' })
  const focused = (): Promise<boolean> => input.evaluate((el) => el === document.activeElement)
  // Tab from the terminal's tabs on to its screen, as someone going through the page does.
  await terminal.getByRole('tab', { name: 'Agent', exact: true }).focus()
  for (let i = 0; i < 8 && !(await focused()); i++) await page.keyboard.press('Tab')
  await expect(input).toBeFocused()
  await expect(hint).toHaveText('Esc then Tab to leave the terminal')
  await expect(hint.locator('kbd')).toHaveText(['Esc', 'Tab'])
  // Typing is what the user came for: the hint goes.
  await page.keyboard.press('x')
  await expect(hint).toHaveCount(0)
  await page.keyboard.press('Backspace')
  // Esc then Tab leaves; Shift+Tab back in shows it again, and Esc then Tab still leaves.
  await page.keyboard.press('Escape')
  await page.keyboard.press('Tab')
  await expect(input).not.toBeFocused()
  await page.keyboard.press('Shift+Tab')
  await expect(input).toBeFocused()
  await expect(hint).toBeVisible()
  await page.keyboard.press('Escape')
  await expect(hint).toBeVisible()
  await page.keyboard.press('Tab')
  await expect(input).not.toBeFocused()
  await expect(hint).toHaveCount(0)
  // A click into the terminal needs no hint.
  await terminal.locator('.terminal-screen').click()
  await expect(input).toBeFocused()
  await page.evaluate(
    () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))),
  )
  await expect(hint).toHaveCount(0)
})

test('a new terminal works; an exited shell says why and restarts', async ({ page }) => {
  await sh.openSession(page, 'Terminals')
  const terminal = region(page)
  const agentTab = terminal.getByRole('tab', { name: 'Agent', exact: true })
  await expect(agentTab).toHaveAttribute('aria-selected', 'true')

  await terminal.getByRole('button', { name: 'New terminal', exact: true }).click()
  const userTab = terminal.getByRole('tab', { name: 'Terminal 2', exact: true })
  await expect(userTab).toHaveAttribute('aria-selected', 'true')
  const id = await shownTerminal(page)
  await typeInTerminal(page, 'echo second-terminal')
  await expect.poll(() => bufferLines(page, id)).toContain('second-terminal')

  // The tabs are a tab list: arrows move between them.
  await userTab.focus()
  await page.keyboard.press('ArrowLeft')
  await expect(agentTab).toHaveAttribute('aria-selected', 'true')
  await expect(agentTab).toBeFocused()
  await page.keyboard.press('End')
  await expect(userTab).toHaveAttribute('aria-selected', 'true')

  // Escape then Tab leaves the terminal: the keyboard is never trapped in it.
  await region(page).locator('.terminal-screen').click()
  const input = region(page).locator('.xterm-helper-textarea')
  await expect(input).toBeFocused()
  await page.keyboard.press('Escape')
  await page.keyboard.press('Tab')
  await expect(input).not.toBeFocused()

  await typeInTerminal(page, 'exit 3')
  const exited = terminal.getByRole('status').filter({ hasText: 'exited' })
  await expect(exited).toContainText('code 3')
  await expect(userTab).toHaveAttribute('data-state', 'exited')

  await terminal.getByRole('button', { name: 'Restart shell', exact: true }).click()
  await expect(exited).toHaveCount(0)
  await typeInTerminal(page, 'echo back-again')
  await expect.poll(() => bufferLines(page, id)).toContain('back-again')

  // Closing it leaves the agent's terminal, which cannot be closed.
  await terminal.getByRole('button', { name: 'Close Terminal 2', exact: true }).click()
  await expect(userTab).toHaveCount(0)
  await expect(agentTab).toHaveAttribute('aria-selected', 'true')
  await expect(terminal.getByRole('button', { name: /^Close / })).toHaveCount(0)
})
