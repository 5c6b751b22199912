import { create } from 'zustand'

/** One line comment for the agent. */
export interface LineComment {
  id: number
  path: string
  /** 1-based line of the file as it is now. */
  line: number
  /** The line's text, quoted in the message. */
  quote: string
  text: string
}

interface ReviewState {
  /** Comments per session, in the order they were added. */
  comments: Record<string, LineComment[]>
  add(sessionId: string, comment: Omit<LineComment, 'id'>): void
  remove(sessionId: string, id: number): void
  clear(sessionId: string): void
}

let nextId = 1

export const useReviewStore = create<ReviewState>((set) => ({
  comments: {},
  add: (sessionId, comment) =>
    set((s) => ({
      comments: {
        ...s.comments,
        [sessionId]: [...(s.comments[sessionId] ?? []), { ...comment, id: nextId++ }],
      },
    })),
  remove: (sessionId, id) =>
    set((s) => ({
      comments: {
        ...s.comments,
        [sessionId]: (s.comments[sessionId] ?? []).filter((c) => c.id !== id),
      },
    })),
  clear: (sessionId) => set((s) => ({ comments: { ...s.comments, [sessionId]: [] } })),
}))

/** The review as one message: each comment with its `path:line` and the quoted line. */
export function reviewMessage(comments: LineComment[]): string {
  const parts = comments.map(
    (c) => `${c.path}:${c.line}\n> ${c.quote.trim() === '' ? '(empty line)' : c.quote}\n${c.text}`,
  )
  return `Review comments on your changes:\n\n${parts.join('\n\n')}`
}
