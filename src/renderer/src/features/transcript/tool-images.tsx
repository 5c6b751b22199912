import type { JSX } from 'react'

/** Image types shown inline: what browsers render and no script can hide in. */
const SHOWN = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp'])
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/

interface ShownImage {
  mimeType: string
  data: string
}

/** The images a tool result carries in its details (an MCP server's), checked before use. */
function imagesOf(details: Record<string, unknown> | undefined): ShownImage[] {
  const list = details?.images
  if (!Array.isArray(list)) return []
  return list.filter(
    (i): i is ShownImage =>
      typeof i === 'object' &&
      i !== null &&
      typeof (i as ShownImage).mimeType === 'string' &&
      SHOWN.has((i as ShownImage).mimeType) &&
      typeof (i as ShownImage).data === 'string' &&
      BASE64.test((i as ShownImage).data),
  )
}

/** A tool result's images, shown in the transcript (the model reads their description). */
export function ToolImages({
  tool,
  details,
}: {
  tool: string
  details: Record<string, unknown> | undefined
}): JSX.Element | null {
  const images = imagesOf(details)
  if (images.length === 0) return null
  return (
    <div className="tool-images">
      {images.map((image, i) => (
        <img
          key={i}
          className="tool-image"
          alt={`Image ${i + 1} from ${tool}`}
          src={`data:${image.mimeType};base64,${image.data}`}
        />
      ))}
    </div>
  )
}
