/**
 * Messages the user sends while the agent runs. A steer is delivered before the next model call
 * (and makes queued tool calls of the current batch skip); a follow-up waits until the agent would
 * otherwise stop.
 */
export class Inbox {
  private steers: string[] = []
  private followUps: string[] = []
  private readonly listeners = new Set<() => void>()

  steer(text: string): void {
    this.steers.push(text)
    for (const l of this.listeners) l()
  }

  followUp(text: string): void {
    this.followUps.push(text)
  }

  hasSteer(): boolean {
    return this.steers.length > 0
  }

  takeSteers(): string[] {
    return this.steers.splice(0)
  }

  takeFollowUps(): string[] {
    return this.followUps.splice(0)
  }

  /** Called whenever a steer arrives. Returns a disposer. */
  onSteer(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }
}
