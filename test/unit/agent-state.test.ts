import { describe, expect, it } from 'vitest'
import type { AgentFacts, AgentState, RankedAgent } from '../../src/shared/agent-state'
import {
  AGENT_STATES,
  agentStateLabel,
  agentStateOf,
  compareNeedsUser,
  currentTool,
  endsAsking,
  needsUser,
} from '../../src/shared/agent-state'

const facts = (over: Partial<AgentFacts>): AgentFacts => ({
  running: false,
  turnState: null,
  toolName: null,
  pendingApprovals: 0,
  lastStop: null,
  endedAsking: false,
  unreviewedChanges: false,
  lastActivity: null,
  ...over,
})

describe('agentStateOf', () => {
  it('is idle for a session that never ran', () => {
    expect(agentStateOf(facts({}))).toBe('idle')
  })

  it('waits for approval while a question is pending, even mid-run', () => {
    expect(agentStateOf(facts({ running: true, pendingApprovals: 1 }))).toBe('waiting_approval')
    expect(agentStateOf(facts({ running: true, turnState: 'approval' }))).toBe('waiting_approval')
    expect(agentStateOf(facts({ pendingApprovals: 2, lastStop: 'error' }))).toBe('waiting_approval')
  })

  it('is running while a run goes on, whatever the last run did', () => {
    expect(agentStateOf(facts({ running: true, turnState: 'tool' }))).toBe('running')
    expect(agentStateOf(facts({ running: true, lastStop: 'error' }))).toBe('running')
  })

  it('waits for input after a spend cap, the turn limit, or a final answer that asks', () => {
    expect(agentStateOf(facts({ lastStop: 'spend_cap' }))).toBe('waiting_input')
    expect(agentStateOf(facts({ lastStop: 'max_turns' }))).toBe('waiting_input')
    expect(agentStateOf(facts({ lastStop: 'done', endedAsking: true }))).toBe('waiting_input')
    expect(
      agentStateOf(facts({ lastStop: 'done', endedAsking: true, unreviewedChanges: true })),
    ).toBe('waiting_input')
  })

  it('failed after an error or an overflowing context', () => {
    expect(agentStateOf(facts({ lastStop: 'error' }))).toBe('failed')
    expect(agentStateOf(facts({ lastStop: 'context_overflow' }))).toBe('failed')
  })

  it('finished with unreviewed changes only after a clean finish that changed files unseen', () => {
    expect(agentStateOf(facts({ lastStop: 'done', unreviewedChanges: true }))).toBe(
      'finished_unreviewed',
    )
    expect(agentStateOf(facts({ lastStop: 'done' }))).toBe('idle')
    // A stop the user asked for, or an interrupted run, is not a finish.
    expect(agentStateOf(facts({ lastStop: 'aborted', unreviewedChanges: true }))).toBe('idle')
    expect(agentStateOf(facts({ lastStop: 'interrupted' }))).toBe('idle')
  })

  it('labels every state in words', () => {
    expect(AGENT_STATES.map(agentStateLabel)).toEqual([
      'waiting for approval',
      'waiting for input',
      'failed',
      'finished, changes to review',
      'running',
      'idle',
    ])
    expect(AGENT_STATES.filter(needsUser)).toEqual(['waiting_approval', 'waiting_input', 'failed'])
  })
})

describe('currentTool', () => {
  it('names the tool only while a running session is in it', () => {
    expect(currentTool(facts({ running: true, turnState: 'tool', toolName: 'bash' }))).toBe('bash')
    expect(currentTool(facts({ running: true, turnState: 'streaming', toolName: 'bash' }))).toBe(
      null,
    )
    expect(currentTool(facts({ running: false, turnState: 'tool', toolName: 'bash' }))).toBe(null)
  })
})

describe('compareNeedsUser', () => {
  const agent = (id: string, state: AgentState, lastActivity: number | null): RankedAgent => ({
    id,
    state,
    lastActivity,
  })

  it('puts approval, input, failed, finished, running, idle in that order', () => {
    const list = [
      agent('idle', 'idle', 9),
      agent('run', 'running', 8),
      agent('fin', 'finished_unreviewed', 7),
      agent('fail', 'failed', 6),
      agent('input', 'waiting_input', 5),
      agent('appr', 'waiting_approval', 1),
    ]
    expect(list.sort(compareNeedsUser).map((a) => a.id)).toEqual([
      'appr',
      'input',
      'fail',
      'fin',
      'run',
      'idle',
    ])
  })

  it('puts the most recent activity first within a state, unknown last, then by id', () => {
    const list = [
      agent('b', 'running', null),
      agent('old', 'running', 100),
      agent('new', 'running', 300),
      agent('a', 'running', null),
    ]
    expect(list.sort(compareNeedsUser).map((a) => a.id)).toEqual(['new', 'old', 'a', 'b'])
  })
})

describe('endsAsking', () => {
  it('sees a question at the end of the last line', () => {
    expect(endsAsking('Done.\n\nShould I also update the tests?')).toBe(true)
    expect(endsAsking('Which one do you want: **A** or **B?**\n\n')).toBe(true)
    expect(endsAsking('Why? Because it was slow. Fixed it.')).toBe(false)
    expect(endsAsking('')).toBe(false)
  })
})
