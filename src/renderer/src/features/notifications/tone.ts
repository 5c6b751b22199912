/**
 * The notification sound: a short two-note chime made with Web Audio, so no audio file ships and
 * the CSP needs no media source. Played by the page (not the OS) so Settings → Notifications →
 * Sound decides in the browser and the desktop app alike.
 */
let context: AudioContext | null = null

/** Length of the chime, in seconds. */
const CHIME_S = 0.32

export function playTone(): void {
  if (typeof AudioContext === 'undefined') return
  try {
    context ??= new AudioContext()
    const ctx = context
    // A context made before the user interacted starts suspended; resuming may be refused, then
    // the chime is silent (never an error).
    void ctx.resume().catch(() => {})
    const start = ctx.currentTime + 0.01
    const gain = ctx.createGain()
    gain.gain.setValueAtTime(0.0001, start)
    gain.gain.exponentialRampToValueAtTime(0.15, start + 0.02)
    gain.gain.exponentialRampToValueAtTime(0.0001, start + CHIME_S)
    gain.connect(ctx.destination)
    const osc = ctx.createOscillator()
    osc.type = 'sine'
    osc.frequency.setValueAtTime(880, start)
    osc.frequency.setValueAtTime(660, start + CHIME_S / 2)
    osc.connect(gain)
    osc.start(start)
    osc.stop(start + CHIME_S)
  } catch {
    // No audio device, or audio disabled: the notification still shows.
  }
}
