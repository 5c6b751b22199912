import { useVirtualizer } from '@tanstack/react-virtual'
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react'
import type { JSX, KeyboardEvent } from 'react'
import type { LiveItem } from './live-rows'
import { CompactingRow, RequestingRow, RetryRow, StreamingRow } from './live-rows'
import type { Row } from './rows'
import { RowView } from './row-view'

export type ListItem = Row | LiveItem

export interface TranscriptListProps {
  sessionId: string
  items: ListItem[]
  running: boolean
  activeTool: { id: string; since: number } | null
  /** The branch is being loaded again (it moved elsewhere: a rewind, a branch switch). */
  reloading: boolean
}

/** Within this many px of the end counts as "at the end": the list follows new content. */
const END_THRESHOLD = 48

/** First guesses of row heights (px), replaced by measurements as rows render. */
const ESTIMATES: Partial<Record<ListItem['kind'], number>> = {
  user: 56,
  assistant: 120,
  tool: 64,
  streaming: 120,
  turn_end: 48,
  compaction: 40,
}

function estimateOf(item: ListItem | undefined): number {
  return (item && ESTIMATES[item.kind]) ?? 32
}

/**
 * The conversation, virtualized (only the rows in view and a few around them are in the DOM,
 * heights measured as they render). It stays at the end while content arrives unless the user
 * scrolled up, then offers "Jump to latest". Focusable: PageUp/PageDown/Home/End scroll it.
 */
export function TranscriptList({
  sessionId,
  items,
  running,
  activeTool,
  reloading,
}: TranscriptListProps): JSX.Element {
  const scrollRef = useRef<HTMLDivElement | null>(null)
  const [atEnd, setAtEnd] = useState(true)

  const getItemKey = useCallback((index: number) => items[index]?.key ?? index, [items])
  const estimateSize = useCallback((index: number) => estimateOf(items[index]), [items])
  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer's methods are read during render by design; nothing below memoizes them
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scrollRef.current,
    estimateSize,
    getItemKey,
    overscan: 6,
    gap: 8,
    paddingStart: 12,
    paddingEnd: 12,
    anchorTo: 'end',
    followOnAppend: true,
    scrollEndThreshold: END_THRESHOLD,
    // The default synchronous re-render when rows change size is kept: deferred, a list that
    // grows by whole runs at once (switching back to a branch) lost its place at the end.
  })

  // Open at the latest message.
  const opened = useRef(false)
  useLayoutEffect(() => {
    if (opened.current || items.length === 0) return
    opened.current = true
    virtualizer.scrollToEnd()
  }, [items.length, virtualizer])

  // A branch loaded again (a rewind, a switch back to another branch) shows its newest entries,
  // wherever the list was: it is another conversation, not more of the same one.
  const wasReloading = useRef(reloading)
  useEffect(() => {
    if (wasReloading.current && !reloading) virtualizer.scrollToEnd()
    wasReloading.current = reloading
  }, [reloading, virtualizer])

  // A prompt the user just sent brings the list back to the end, wherever it was.
  const lastKey = items[items.length - 1]?.key
  const lastKind = items[items.length - 1]?.kind
  const lastUserKey = useRef(lastKind === 'user' ? lastKey : undefined)
  useEffect(() => {
    if (lastKind !== 'user' || lastKey === lastUserKey.current) return
    lastUserKey.current = lastKey
    virtualizer.scrollToEnd()
  }, [lastKey, lastKind, virtualizer])

  // Whether the end is in view: on scrolls, and when the list or its content changes size (a
  // taller window, a row that grew) without a scroll.
  useEffect(() => {
    const el = scrollRef.current
    if (!el) return
    const check = (): void =>
      setAtEnd(el.scrollHeight - el.scrollTop - el.clientHeight <= END_THRESHOLD)
    const observer = new ResizeObserver(check)
    observer.observe(el)
    if (el.firstElementChild) observer.observe(el.firstElementChild)
    el.addEventListener('scroll', check, { passive: true })
    return () => {
      observer.disconnect()
      el.removeEventListener('scroll', check)
    }
  }, [])

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    // Keys pressed in a control inside a row are that control's.
    if (e.target !== e.currentTarget) return
    const el = e.currentTarget
    const page = Math.max(40, el.clientHeight * 0.9)
    switch (e.key) {
      case 'PageDown':
        el.scrollTop += page
        break
      case 'PageUp':
        el.scrollTop -= page
        break
      case 'Home':
        virtualizer.scrollToOffset(0)
        break
      case 'End':
        virtualizer.scrollToEnd()
        break
      default:
        return
    }
    e.preventDefault()
  }

  const virtualItems = virtualizer.getVirtualItems()
  return (
    <div className="transcript-list-wrap">
      <div
        ref={scrollRef}
        className="transcript-list"
        role="list"
        aria-label="Conversation"
        tabIndex={0}
        onKeyDown={onKeyDown}
      >
        <div
          className="transcript-sizer"
          role="none"
          style={{ height: `${virtualizer.getTotalSize()}px` }}
        >
          {virtualItems.map((v) => {
            const item = items[v.index]!
            return (
              <div
                key={v.key}
                role="listitem"
                aria-setsize={items.length}
                aria-posinset={v.index + 1}
                data-index={v.index}
                ref={virtualizer.measureElement}
                className="transcript-row"
                style={{ transform: `translateY(${v.start}px)` }}
              >
                {item.kind === 'streaming' ? (
                  <StreamingRow sessionId={sessionId} />
                ) : item.kind === 'retry' ? (
                  <RetryRow sessionId={sessionId} />
                ) : item.kind === 'requesting' ? (
                  <RequestingRow />
                ) : item.kind === 'compacting' ? (
                  <CompactingRow />
                ) : (
                  <RowView
                    sessionId={sessionId}
                    row={item}
                    running={running}
                    activeTool={activeTool}
                  />
                )}
              </div>
            )
          })}
        </div>
      </div>
      {!atEnd && (
        <button
          type="button"
          className="btn btn-primary jump-latest"
          onClick={() => {
            virtualizer.scrollToEnd()
            scrollRef.current?.focus({ preventScroll: true })
          }}
        >
          <span aria-hidden="true">↓</span>
          Jump to latest
        </button>
      )}
    </div>
  )
}
