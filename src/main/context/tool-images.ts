import { z } from 'zod'
import type { ChatMessage, ToolImage } from '../providers/types'
import { IMAGE_MIME_TYPES } from '../providers/types'

/**
 * Images of tool results (an MCP server's screenshot) as image parts of the conversation, for a
 * model that takes images. A tool lists them in its result's `details.images` (`mcp/tools.ts`),
 * with their base64 `data` when small enough to keep; the result's text describes each either way,
 * so a model that takes no images, or an image left out here, still reads what it was.
 */

/**
 * The tool images a request carries, in steps of this many: with `n` images in the conversation,
 * the oldest `floor((n - STEP) / STEP) * STEP` are left out (described only), so all of up to 7
 * are sent, and of more the most recent 4 to 7. The set changes only at every 4th new image past
 * 7, so between those the prompt prefix stays the same and the provider's prompt cache holds. Each kept image is at most
 * `MAX_INLINE_IMAGE_BYTES` (256 KB), so a request carries at most about 1.8 MB of images — far
 * inside every provider's request and per-image limits — and old screenshots do not fill the
 * window.
 */
export const TOOL_IMAGES_STEP = 4

/** The part of a result's `details` read here: parsed, never trusted (it comes from disk). */
const DetailsImagesSchema = z.object({
  images: z.array(z.unknown()),
})

const ImageSchema = z.object({
  mimeType: z.enum(IMAGE_MIME_TYPES),
  data: z.string().min(1),
})

/** The images of a result's `details` that can be sent: a type the wires take, with data. */
export function detailsImages(details: Record<string, unknown> | undefined): ToolImage[] {
  const parsed = DetailsImagesSchema.safeParse(details)
  if (!parsed.success) return []
  const out: ToolImage[] = []
  for (const item of parsed.data.images) {
    const image = ImageSchema.safeParse(item)
    if (image.success) out.push({ mimeType: image.data.mimeType, data: image.data.data })
  }
  return out
}

/**
 * Leave the oldest tool images out of `messages` (in place) by the steps of
 * {@link TOOL_IMAGES_STEP}. A function of the conversation alone: the same messages keep the same
 * images from one request to the next until the step moves.
 */
export function capToolImages(messages: ChatMessage[]): void {
  let total = 0
  for (const m of messages) if (m.role === 'tool') total += m.images?.length ?? 0
  let drop =
    Math.max(0, Math.floor((total - TOOL_IMAGES_STEP) / TOOL_IMAGES_STEP)) * TOOL_IMAGES_STEP
  for (const m of messages) {
    if (drop === 0) return
    if (m.role !== 'tool' || !m.images) continue
    const cut = Math.min(drop, m.images.length)
    drop -= cut
    const kept = m.images.slice(cut)
    if (kept.length) m.images = kept
    else delete m.images
  }
}
