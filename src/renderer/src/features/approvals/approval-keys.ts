/**
 * The answer keys of the approval cards on screen, reachable from outside a card: an empty
 * composer hands a card's keys (Y, A, N, S) to the newest question, so they work after a send
 * whichever way it was sent. A field that does so carries `data-approval-keys="when-empty"`.
 */

/** What a card does with one of its keys; true when the key was one of them. */
export type ApprovalKeyHandler = (key: string) => boolean

const handlers = new Map<string, ApprovalKeyHandler>()

/** A pending card's keys, until the returned function removes them. */
export function registerApprovalKeys(approvalId: string, handler: ApprovalKeyHandler): () => void {
  handlers.set(approvalId, handler)
  return () => {
    if (handlers.get(approvalId) === handler) handlers.delete(approvalId)
  }
}

/** Press `key` on the card of `approvalId`; false when no such card is on screen or the key is not its. */
export function pressApprovalKey(approvalId: string, key: string): boolean {
  return handlers.get(approvalId)?.(key) ?? false
}

/** The answers by key, as the composer's hint says them. */
export const APPROVAL_KEYS_HINT = 'Y approve · A for session · N reject · S reject and stop'

/** The attribute of a field that hands the approval keys over while it is empty. */
export const APPROVAL_KEYS_ATTRIBUTE = 'data-approval-keys'

/** Does focus in `el` leave the approval keys to the cards (an empty field that hands them over)? */
export function handsKeysOver(el: Element | null): boolean {
  return (
    el instanceof HTMLTextAreaElement &&
    el.getAttribute(APPROVAL_KEYS_ATTRIBUTE) === 'when-empty' &&
    el.value === ''
  )
}
