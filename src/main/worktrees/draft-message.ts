import { completeOnce } from '../engine/summariser'
import type { StreamFn } from '../providers/types'

/** How long a draft may go without a byte from the model. */
const DRAFT_STALL_MS = 60_000

const DRAFT_SYSTEM = [
  'You write git commit messages. Given a diff, answer with the commit message only:',
  'a subject line in the imperative mood of at most 72 characters, a blank line, then a short body',
  'saying what changed and why, wrapped at 72 characters. No code fences, no quotes, no preamble.',
].join(' ')

/** A commit message for `diff`, drafted by the session's model (one request, no tools). */
export function draftCommitMessage(
  model: { stream: StreamFn; providerModel: string },
  diff: string,
): Promise<string> {
  return completeOnce(
    model,
    {
      system: DRAFT_SYSTEM,
      content: `Write the commit message for these changes:\n\n${diff}`,
      task: 'drafted the commit message',
      failed: 'could not draft a commit message',
      empty: 'an empty commit message',
      outcome: 'type the message yourself',
    },
    new AbortController().signal,
    DRAFT_STALL_MS,
  )
}
