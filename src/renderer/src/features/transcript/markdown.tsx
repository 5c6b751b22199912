import { memo } from 'react'
import type { ComponentProps, JSX, ReactElement } from 'react'
import ReactMarkdown from 'react-markdown'
import type { Components } from 'react-markdown'
import rehypeHighlight from 'rehype-highlight'
import remarkGfm from 'remark-gfm'
import { ExternalLink } from '../../lib/ui/external-link'
import { markdownBlocks } from './markdown-blocks'
import { safeLinkUrl } from './safe-url'

const remarkPlugins = [remarkGfm]
// Only fenced blocks that name their language are highlighted: guessing costs time and guesses wrong.
// rehype-highlight builds a highlighter (every common language registered and compiled) each time
// it is attached, and react-markdown attaches its plugins on every render: build it once here and
// hand the same transformer to each render (it keeps no state between trees).
const highlight = rehypeHighlight({ detect: false })
const rehypePlugins: ComponentProps<typeof ReactMarkdown>['rehypePlugins'] = [() => highlight]

function SafeLink({ href, children }: JSX.IntrinsicElements['a']): JSX.Element {
  const url = href ? safeLinkUrl(href) : null
  if (!url) return <span className="md-link-unsafe">{children}</span>
  return <ExternalLink url={url}>{children}</ExternalLink>
}

/** Images are not fetched from wherever an agent points: they show as a link to open. */
function ImageLink({ src, alt }: JSX.IntrinsicElements['img']): JSX.Element {
  const url = typeof src === 'string' ? safeLinkUrl(src) : null
  const label = alt ? `Image: ${alt}` : 'Image'
  if (!url) return <span className="md-link-unsafe">{label}</span>
  return <ExternalLink url={url}>{label}</ExternalLink>
}

const components: Components = { a: SafeLink, img: ImageLink }

/** Rendered blocks by their text, least recently used first. */
const rendered = new Map<string, ReactElement>()
/** Blocks kept: enough for the messages of every open pane and then some. */
const RENDERED_MAX = 600

/**
 * A block of markdown parsed and rendered to React elements, from the cache when this text was
 * rendered before (a row scrolled back into view, a pane reopened, the message that replaces its
 * stream). react-markdown's `Markdown` is a pure function of its options (no hooks).
 */
function renderBlock(text: string): ReactElement {
  const hit = rendered.get(text)
  if (hit) {
    rendered.delete(text)
    rendered.set(text, hit)
    return hit
  }
  const out = parse(text)
  rendered.set(text, out)
  if (rendered.size > RENDERED_MAX) rendered.delete(rendered.keys().next().value!)
  return out
}

/** One block of markdown; memoized on its text. A partial block (still streaming) is not cached. */
const MarkdownBlock = memo(function MarkdownBlock({
  text,
  partial,
}: {
  text: string
  partial: boolean
}): ReactElement {
  return partial ? (rendered.get(text) ?? parse(text)) : renderBlock(text)
})

/** Parse and render a block. */
function parse(text: string): ReactElement {
  return ReactMarkdown({ children: text, remarkPlugins, rehypePlugins, components })
}

/**
 * An agent's markdown: GitHub flavour (tables, task lists, strikethrough), code blocks highlighted
 * (highlight.js classes, themed in transcript.css for light and dark), raw HTML shown as text, links
 * only to http(s)/mailto, showing their host and opened outside the app. Rendered block by block
 * (`markdownBlocks`: each block parses as it would in the whole text), each block memoized and
 * cached: while a message streams only its last block is parsed again, and an unchanged message
 * is not parsed again when the list re-renders or the row mounts again.
 */
export const Markdown = memo(function Markdown({
  text,
  streaming = false,
}: {
  text: string
  /** Still streaming: its last block is incomplete, and not worth keeping. */
  streaming?: boolean
}): JSX.Element {
  const blocks = markdownBlocks(text)
  return (
    <div className="markdown">
      {blocks.map((block, i) => (
        <MarkdownBlock key={i} text={block} partial={streaming && i === blocks.length - 1} />
      ))}
    </div>
  )
})
