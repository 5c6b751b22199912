import { memo } from 'react'
import type { ComponentProps, JSX } from 'react'
import ReactMarkdown from 'react-markdown'
import type { Components } from 'react-markdown'
import rehypeHighlight from 'rehype-highlight'
import remarkGfm from 'remark-gfm'
import { ExternalLink } from '../../lib/ui/external-link'
import { safeLinkUrl } from './safe-url'

const remarkPlugins = [remarkGfm]
// Only fenced blocks that name their language are highlighted: guessing costs time and guesses wrong.
const rehypePlugins: ComponentProps<typeof ReactMarkdown>['rehypePlugins'] = [
  [rehypeHighlight, { detect: false }],
]

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

/**
 * An agent's markdown: GitHub flavour (tables, task lists, strikethrough), code blocks highlighted
 * (highlight.js classes, themed in transcript.css for light and dark), raw HTML shown as text, links
 * only to http(s)/mailto, showing their host and opened outside the app. Memoized on the text: an unchanged message is
 * not parsed again when the list re-renders.
 */
export const Markdown = memo(function Markdown({ text }: { text: string }): JSX.Element {
  return (
    <div className="markdown">
      <ReactMarkdown
        remarkPlugins={remarkPlugins}
        rehypePlugins={rehypePlugins}
        components={components}
      >
        {text}
      </ReactMarkdown>
    </div>
  )
})
