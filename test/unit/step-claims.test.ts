import { describe, expect, it } from 'vitest'
import { StepClaims } from '../../src/main/checkpoints/step-claims'
import { tempDir } from '../support/temp'

describe('step claims', () => {
  it('let exactly one side claim a step, per session: tool call ids repeat across sessions', () => {
    const tmp = tempDir('paddock-claims-')
    const store = tmp.path
    const a = new StepClaims(store, 'session-a')
    const b = new StepClaims(store, 'session-b')
    expect(a.claim('call_0', 'holder')).toBe(true)
    expect(a.claim('call_0', 'run')).toBe(false)
    expect(a.read('call_0')).toBe('holder')
    // Another session's step with the same id is its own.
    expect(b.read('call_0')).toBeNull()
    expect(b.claim('call_0', 'run')).toBe(true)
    expect(b.read('call_0')).toBe('run')
    a.fail('call_0')
    expect(a.read('call_0')).toBe('failed')
    expect(b.read('call_0')).toBe('run')
    a.forget(['call_0'])
    expect(a.read('call_0')).toBeNull()
    expect(b.read('call_0')).toBe('run')
    tmp.cleanup()
  })
})
