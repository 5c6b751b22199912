import { describe, expect, it } from 'vitest'
import { isSoftwareRenderer } from '../../src/renderer/src/features/terminal/gl-probe'

describe('a software WebGL rasterizer', () => {
  it('is told apart from a GPU by the renderer’s name', () => {
    for (const software of [
      'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)',
      'Google SwiftShader',
      'llvmpipe (LLVM 15.0.6, 256 bits)',
      'ANGLE (Microsoft, Microsoft Basic Render Driver Direct3D11 vs_5_0 ps_5_0, D3D11)',
      'softpipe',
    ]) {
      expect(isSoftwareRenderer(software), software).toBe(true)
    }
    for (const gpu of [
      'ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 Direct3D11 vs_5_0 ps_5_0, D3D11)',
      'ANGLE (Apple, ANGLE Metal Renderer: Apple M2, Unspecified Version)',
      'Mesa Intel(R) UHD Graphics 620 (KBL GT2)',
      'AMD Radeon Pro 5500M OpenGL Engine',
    ]) {
      expect(isSoftwareRenderer(gpu), gpu).toBe(false)
    }
  })
})
