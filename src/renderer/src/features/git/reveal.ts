/**
 * A ref callback for an action's result: the Git area is short at 1280×720 (it shares its column
 * with the terminal), so a result appearing below the fold is scrolled into view.
 */
export function reveal(el: HTMLElement | null): void {
  // After the frame's layout: the rest of the area may still move when the result mounts.
  if (el) requestAnimationFrame(() => el.scrollIntoView({ block: 'nearest' }))
}
