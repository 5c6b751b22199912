import { FitAddon } from '@xterm/addon-fit'
import { PacedWrites } from './paced-writes'
import { writeInPieces } from './write-pieces'
import { SearchAddon } from '@xterm/addon-search'
import type { ISearchOptions } from '@xterm/addon-search'
import { SerializeAddon } from '@xterm/addon-serialize'
import { Unicode11Addon } from '@xterm/addon-unicode11'
import { WebLinksAddon } from '@xterm/addon-web-links'
import { WebglAddon } from '@xterm/addon-webgl'
import type { IDisposable, IMarker, ITheme } from '@xterm/xterm'
import { Terminal } from '@xterm/xterm'
import '@xterm/xterm/css/xterm.css'
import type { PaddockClient } from '../../../../shared/client'
import { TerminalStream } from '../../../../shared/terminal-stream'
import type { TerminalSink } from '../../../../shared/terminal-stream'
import type { TerminalInfo, TerminalScreen } from '../../../../shared/terminals'
import type { TerminalFeed } from '../../app/terminal-feed'
import { errorMessage, hasCode } from '../../lib/api/error-message'
import { AgentMarks } from './agent-marks'
import { InputQueue } from './input'
import { linkTooltip, openLink } from './links'
import { softwareWebgl } from './gl-probe'
import { quietScrollbar } from './quiet-scrollbar'
import { TerminalKeys } from './terminal-keys'
import type { SearchResults } from './search-text'

/** Lines of scrollback the view keeps (the host keeps its own, and restores from it). */
const SCROLLBACK = 10_000
/** A resize is sent once the pane has been still this long (a drag sends dozens) (ms). */
const FIT_DEBOUNCE_MS = 60
/** Attempts to attach again after a refusal, 250 ms apart and doubling. */
const ATTACH_RETRIES = 3
/** How long a revealed command's line stays highlighted (ms). */
const REVEAL_FLASH_MS = 1600

export type Renderer = 'webgl' | 'dom'

export interface InstanceOptions {
  info: TerminalInfo
  client: PaddockClient
  feed: TerminalFeed
  theme: ITheme
  fontFamily: string
  /** Every state the host reports for this terminal (attach answers and events). */
  onInfo(info: TerminalInfo): void
  /** A call for this terminal failed (null: the last problem is over). */
  onProblem(message: string | null): void
  /** The host no longer has this terminal (closed elsewhere, or the host restarted). */
  onGone(): void
  /** The user asked to search (Ctrl/Cmd+F in the terminal). */
  onFind(): void
  /** The raw output as it arrives, before xterm parses it (for the command book). */
  onOutput?(data: string): void
}

/**
 * One terminal of the host, shown with xterm: its stream (attach, live output, acks), keystrokes
 * and pastes back to the shell, size kept to its pane, the agent's command marks, search, links,
 * copy and paste. It outlives its view: a session-tab switch moves its element, not its state.
 */
export class TerminalInstance {
  readonly terminalId: string
  readonly sessionId: string
  /** What xterm opens into; the view moves it into its pane. */
  readonly element: HTMLDivElement
  readonly term: Terminal
  readonly marks: AgentMarks
  renderer: Renderer = 'dom'
  /** Output does not flash the scrollbar (`quiet-scrollbar.ts`). */
  scrollbarQuiet = false
  private readonly fitAddon = new FitAddon()
  private readonly searchAddon = new SearchAddon({ highlightLimit: 1000 })
  private readonly serializeAddon = new SerializeAddon()
  private webgl: WebglAddon | null = null
  private readonly stream: TerminalStream
  private readonly input: InputQueue
  private readonly disposables: IDisposable[] = []
  private readonly offFeed: () => void
  private opened = false
  private disposed = false
  private fitTimer: ReturnType<typeof setTimeout> | null = null
  private retryTimer: ReturnType<typeof setTimeout> | null = null
  /** The size the host was last told (or reported), to send a resize only when it differs. */
  private hostSize: { cols: number; rows: number }
  private searchListeners = new Set<(r: SearchResults) => void>()
  private readonly keys: TerminalKeys
  private readonly paced = new PacedWrites((data, done) => writeInPieces(this.term, data, done))
  /** Shown in the focused pane; with the keyboard it is live too. */
  private inFocusedPane = false

  constructor(private readonly opts: InstanceOptions) {
    const { info } = opts
    this.terminalId = info.terminalId
    this.sessionId = info.sessionId
    this.hostSize = { cols: info.cols, rows: info.rows }
    this.element = document.createElement('div')
    this.element.className = 'terminal-host'
    this.element.dataset.terminalId = info.terminalId
    this.element.dataset.renderer = 'dom'

    this.term = new Terminal({
      cols: info.cols,
      rows: info.rows,
      allowProposedApi: true,
      scrollback: SCROLLBACK,
      fontFamily: opts.fontFamily,
      fontSize: 12,
      lineHeight: 1.2,
      cursorBlink: true,
      cursorStyle: 'bar',
      cursorInactiveStyle: 'outline',
      theme: opts.theme,
      macOptionIsMeta: false,
      rightClickSelectsWord: false,
      // An OSC 8 link's text may differ from its address: hovering it names where it goes.
      linkHandler: {
        activate: (_event, text) => openLink(text),
        hover: (_event, text) => this.term.element?.setAttribute('title', linkTooltip(text)),
        leave: () => this.term.element?.removeAttribute('title'),
        allowNonHttpProtocols: false,
      },
    })
    this.term.loadAddon(this.fitAddon)
    this.term.loadAddon(this.searchAddon)
    this.term.loadAddon(this.serializeAddon)
    this.term.loadAddon(new Unicode11Addon())
    this.term.unicode.activeVersion = '11'
    this.term.loadAddon(new WebLinksAddon((_event, uri) => openLink(uri)))

    this.marks = new AgentMarks(this.term, ({ marker }) => this.decorateAgentCommand(marker))
    this.input = new InputQueue(
      (data) => opts.client.call('terminals.input', { terminalId: this.terminalId, data }),
      (err) => opts.onProblem(errorMessage(err)),
    )
    this.keys = new TerminalKeys({
      term: this.term,
      send: (data) => void this.input.push(data),
      onFind: () => opts.onFind(),
      onProblem: (message) => opts.onProblem(message),
    })
    this.disposables.push(
      this.term.onData((data) => {
        this.keys.flush()
        void this.input.push(data)
      }),
      this.searchAddon.onDidChangeResults((r) => {
        for (const l of this.searchListeners) l({ index: r.resultIndex, count: r.resultCount })
      }),
    )
    this.term.attachCustomKeyEventHandler((e) => this.keys.handle(e))

    const sink: TerminalSink = {
      write: (data, done) => this.paced.push(data, done),
      reset: (screen) => this.replaceScreen(screen),
    }
    this.stream = new TerminalStream(
      this.terminalId,
      {
        attach: (terminalId) => opts.client.call('terminals.attach', { terminalId }),
        ack: (terminalId, offset) => opts.client.call('terminals.ack', { terminalId, offset }),
      },
      sink,
      (err) => this.failed(err),
    )
    this.offFeed = opts.feed.subscribe(this.terminalId, (event) => {
      if (event.type === 'terminal.data') opts.onOutput?.(event.data)
      if (event.type === 'terminal.state') this.tookState(event.terminal)
      if (event.type === 'terminal.closed') opts.onGone()
      this.stream.handle(event)
    })
  }

  /**
   * Attach (again, after a reconnect): the host's screen, then live output. A refusal other than
   * "no such terminal" is tried again a few times (right after a reconnect the host may not have
   * taken the new connection's subscription yet); a lost connection waits for the reconnect.
   */
  async attach(attempt = 0): Promise<void> {
    try {
      const info = await this.stream.attach()
      if (this.disposed) return
      this.tookState(info)
      this.opts.onProblem(null)
    } catch (err) {
      if (this.disposed || hasCode(err, 'io_error')) return
      if (!hasCode(err, 'not_found') && attempt < ATTACH_RETRIES) {
        this.retryTimer = setTimeout(() => void this.attach(attempt + 1), 250 * 2 ** attempt)
        return
      }
      this.failed(err)
    }
  }

  /** Put the terminal in `container` (opening xterm the first time) and size it to it. */
  mount(container: HTMLElement): void {
    if (this.disposed) return
    if (this.element.parentElement !== container) container.appendChild(this.element)
    if (!this.opened) {
      this.opened = true
      this.term.open(this.element)
      this.scrollbarQuiet = quietScrollbar(this.term)
      this.loadWebgl()
      this.element.addEventListener('contextmenu', this.keys.onContextMenu)
      // With the keyboard in it, a terminal shows its output at once wherever it is.
      this.element.addEventListener('focusin', () => this.paced.setLive(true))
      this.element.addEventListener('focusout', () => this.paced.setLive(this.inFocusedPane))
    } else {
      this.term.refresh(0, this.term.rows - 1)
    }
    this.fitNow()
  }

  /** In the focused pane its output is written at once; elsewhere a few times a second. */
  setFocusedPane(focused: boolean): void {
    this.inFocusedPane = focused
    this.paced.setLive(focused || this.element.contains(document.activeElement))
  }

  /** Take the element out of its pane; the terminal keeps running. */
  unmount(): void {
    this.setFocusedPane(false)
    this.cancelFit()
    this.element.remove()
  }

  /** The pane changed size: fit once it is still. */
  scheduleFit(): void {
    this.cancelFit()
    this.fitTimer = setTimeout(() => {
      this.fitTimer = null
      this.fitNow()
    }, FIT_DEBOUNCE_MS)
  }

  /** Fit xterm to its pane and tell the host the new size. */
  fitNow(): void {
    if (this.disposed || !this.opened) return
    const pane = this.element.parentElement
    // Hidden or collapsed: measuring now would shrink the shell to nothing.
    if (!pane || pane.clientWidth === 0 || pane.clientHeight === 0) return
    const dims = this.fitAddon.proposeDimensions()
    if (!dims || !Number.isFinite(dims.cols) || !Number.isFinite(dims.rows)) return
    if (dims.cols !== this.term.cols || dims.rows !== this.term.rows) {
      this.term.resize(dims.cols, dims.rows)
    }
    this.sendSize()
  }

  focus(): void {
    this.term.focus()
  }

  setTheme(theme: ITheme): void {
    this.term.options.theme = theme
  }

  /** Scroll to the agent's command with this handle and flash its line; false when unknown. */
  reveal(handle: string): boolean {
    const marker = this.marks.get(handle)
    if (!marker) return false
    this.term.scrollToLine(Math.max(0, marker.line - 1))
    const flash = this.term.registerDecoration({ marker, width: this.term.cols, layer: 'bottom' })
    flash?.onRender((el) => el.classList.add('terminal-reveal-flash'))
    if (flash) setTimeout(() => flash.dispose(), REVEAL_FLASH_MS)
    return true
  }

  findNext(text: string, options: ISearchOptions = {}): boolean {
    return this.searchAddon.findNext(text, { ...this.searchOptions(), ...options })
  }

  findPrevious(text: string, options: ISearchOptions = {}): boolean {
    return this.searchAddon.findPrevious(text, { ...this.searchOptions(), ...options })
  }

  clearSearch(): void {
    this.searchAddon.clearDecorations()
    this.term.clearSelection()
  }

  onSearchResults(listener: (r: SearchResults) => void): () => void {
    this.searchListeners.add(listener)
    return () => this.searchListeners.delete(listener)
  }

  /** The screen and scrollback as escape sequences (what a reload must rebuild). */
  serialize(): string {
    return this.serializeAddon.serialize()
  }

  /** The buffer's text, one line per logical line (wrapped rows joined), trailing blanks dropped. */
  text(): string {
    const buffer = this.term.buffer.active
    const lines: string[] = []
    for (let i = 0; i < buffer.length; i++) {
      const line = buffer.getLine(i)
      const text = line?.translateToString(true) ?? ''
      if (line?.isWrapped && lines.length > 0) lines[lines.length - 1] += text
      else lines.push(text)
    }
    while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop()
    return lines.join('\n')
  }

  dispose(): void {
    if (this.disposed) return
    this.disposed = true
    this.cancelFit()
    if (this.retryTimer !== null) clearTimeout(this.retryTimer)
    this.keys.dispose()
    this.stream.close()
    this.input.close()
    this.offFeed()
    this.element.removeEventListener('contextmenu', this.keys.onContextMenu)
    for (const d of this.disposables) d.dispose()
    this.paced.dispose()
    this.marks.dispose()
    this.searchListeners.clear()
    this.term.dispose()
    this.element.remove()
    // Stop the host's stream to this window; the shell itself keeps running.
    this.opts.client.call('terminals.detach', { terminalId: this.terminalId }).catch(() => {
      // Already gone with the terminal or the connection: nothing is streaming to us then.
    })
  }

  private replaceScreen(screen: TerminalScreen): void {
    this.paced.drop()
    this.marks.clear()
    // Through the write queue, so output still queued for the old screen lands before the reset.
    this.term.write('\x1bc', () => {
      if (this.term.cols !== screen.cols || this.term.rows !== screen.rows) {
        this.term.resize(screen.cols, screen.rows)
      }
      this.hostSize = { cols: screen.cols, rows: screen.rows }
    })
    // In pieces like live output: a screen with its scrollback is parsed in one go otherwise.
    writeInPieces(this.term, screen.screen, () => this.fitNow())
  }

  private tookState(info: TerminalInfo): void {
    this.hostSize = { cols: info.cols, rows: info.rows }
    // No shell to type into: keys would only earn an error until it is restarted.
    this.term.options.disableStdin = info.status === 'exited' || info.status === 'failed'
    this.keys.atPrompt = info.status === 'running' && info.busy === 'idle'
    this.opts.onInfo(info)
  }

  private sendSize(): void {
    const { cols, rows } = this.term
    if (cols === this.hostSize.cols && rows === this.hostSize.rows) return
    this.hostSize = { cols, rows }
    this.opts.client
      .call('terminals.resize', { terminalId: this.terminalId, cols, rows })
      .catch((err: unknown) => this.failed(err))
  }

  private failed(err: unknown): void {
    if (this.disposed) return
    if (hasCode(err, 'not_found')) {
      this.opts.onGone()
      return
    }
    this.opts.onProblem(errorMessage(err))
  }

  private loadWebgl(): void {
    if (softwareWebgl()) {
      this.setRenderer('dom')
      return
    }
    try {
      const webgl = new WebglAddon()
      this.term.loadAddon(webgl)
      webgl.onContextLoss(() => this.dropWebgl())
      this.webgl = webgl
      this.setRenderer('webgl')
    } catch {
      // No WebGL2 here (a headless browser, a blocklisted GPU): xterm's DOM renderer draws instead.
      this.setRenderer('dom')
    }
  }

  private dropWebgl(): void {
    this.webgl?.dispose()
    this.webgl = null
    this.setRenderer('dom')
  }

  private setRenderer(renderer: Renderer): void {
    this.renderer = renderer
    this.element.dataset.renderer = renderer
  }

  private decorateAgentCommand(marker: IMarker): void {
    const decoration = this.term.registerDecoration({ marker, x: 0, width: 1, layer: 'top' })
    decoration?.onRender((el) => {
      el.classList.add('terminal-agent-mark')
      el.dataset.agentMark = 'true'
    })
  }

  private searchOptions(): ISearchOptions {
    const theme = this.term.options.theme ?? {}
    const ruler = theme.selectionBackground ?? '#888888'
    return {
      decorations: {
        matchBackground: theme.selectionInactiveBackground,
        matchOverviewRuler: ruler,
        activeMatchBackground: theme.selectionBackground,
        activeMatchColorOverviewRuler: ruler,
      },
    }
  }

  private cancelFit(): void {
    if (this.fitTimer !== null) clearTimeout(this.fitTimer)
    this.fitTimer = null
  }
}
