/**
 * Is WebGL drawn by a software rasterizer here (SwiftShader, llvmpipe, Windows' Basic Render
 * Driver: a VM, a remote desktop, a machine whose GPU the browser blocklists)? There xterm's WebGL
 * renderer runs on the CPU in the GPU process, and every terminal repaint holds the page's
 * frame until it is done; the DOM renderer is cheaper. Probed once per page.
 */
let cached: boolean | null = null

const SOFTWARE = /swiftshader|llvmpipe|softpipe|software|basic render|mesa offscreen/i

/** A WebGL renderer's name (UNMASKED_RENDERER_WEBGL) names a software rasterizer. */
export function isSoftwareRenderer(name: string): boolean {
  return SOFTWARE.test(name)
}

export function softwareWebgl(): boolean {
  if (cached !== null) return cached
  cached = false
  try {
    const gl = document.createElement('canvas').getContext('webgl2')
    if (gl) {
      const info = gl.getExtension('WEBGL_debug_renderer_info')
      const name: unknown = gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER)
      cached = typeof name === 'string' && isSoftwareRenderer(name)
      gl.getExtension('WEBGL_lose_context')?.loseContext()
    }
  } catch {
    // No answer: keep WebGL (its own failure falls back to the DOM renderer).
  }
  return cached
}
