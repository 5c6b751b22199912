import { describe, expect, it } from 'vitest'
import type { ApprovalRequest } from '../../src/shared/entries'
import {
  describeRequest,
  pendingApprovalCount,
  ruleLabel,
  sessionRulePreview,
  workspacePath,
} from '../../src/renderer/src/features/approvals/describe'

const ROOT = '/home/dev/project'

function request(
  tool: string,
  args: unknown,
  extra: Partial<ApprovalRequest> = {},
): ApprovalRequest {
  return {
    kind: 'request',
    approvalId: 'a1',
    toolCallId: 'c1',
    tool,
    arguments: args,
    reason: 'no rule matches',
    mode: 'ask',
    rule: null,
    ...extra,
  }
}

describe('describing an approval request in words', () => {
  it('says what the agent wants to do, per tool', () => {
    const bash = describeRequest(request('bash', { command: 'npm   test\n -- --watch' }))
    expect(bash).toMatchObject({ kind: 'command', title: 'Run a command' })
    expect(bash.summary).toBe('Run npm test -- --watch')
    expect(bash.command).toBe('npm   test\n -- --watch')

    const edit = describeRequest(
      request('edit', { path: 'src/a.ts', old_string: 'a', new_string: 'b' }),
    )
    expect(edit).toMatchObject({ kind: 'edit', title: 'Edit src/a.ts', path: 'src/a.ts' })
    expect(
      describeRequest(request('edit', { path: 'n.ts', old_string: '', new_string: 'x' })).title,
    ).toBe('Create n.ts')
    expect(describeRequest(request('read', { path: '.env' })).title).toBe('Read .env')
    expect(describeRequest(request('mcp_fetch', { url: 'x' })).title).toBe('Use the mcp_fetch tool')
  })

  it('says whether a write creates a file only when that is known', () => {
    const w = request('write', { path: `${ROOT}/docs/notes.md`, content: 'x' })
    expect(describeRequest(w, { workspaceRoot: ROOT }).title).toBe('Write docs/notes.md')
    expect(describeRequest(w, { workspaceRoot: ROOT, fileExists: false }).title).toBe(
      'Write new file docs/notes.md',
    )
    expect(describeRequest(w, { workspaceRoot: ROOT, fileExists: true }).title).toBe(
      'Overwrite docs/notes.md',
    )
  })

  it('shortens a long command in the one-line summary, not in the command', () => {
    const long = `echo ${'x'.repeat(200)}`
    const d = describeRequest(request('bash', { command: long }))
    expect(d.summary.length).toBeLessThanOrEqual(64)
    expect(d.summary.endsWith('…')).toBe(true)
    expect(d.command).toBe(long)
  })

  it('shows paths relative to the workspace, as the rules see them', () => {
    expect(workspacePath(`${ROOT}/src/./a.ts`, ROOT)).toBe('src/a.ts')
    expect(workspacePath('./src/../lib/b.ts', ROOT)).toBe('lib/b.ts')
    expect(workspacePath(ROOT, ROOT)).toBe('.')
    expect(workspacePath('/etc/passwd', ROOT)).toBe('/etc/passwd')
    expect(workspacePath('../other/x', ROOT)).toBe('../other/x')
  })
})

describe('why it asks', () => {
  it('names the deciding rule and where it came from', () => {
    const rule = { tool: 'bash', pattern: 'rm *', action: 'ask', source: 'workspace' }
    expect(ruleLabel({ rule, mode: 'ask' })).toBe('bash: rm * → ask (workspace rule)')
    expect(ruleLabel({ rule: { ...rule, source: 'user' }, mode: 'ask' })).toBe(
      'bash: rm * → ask (user rule)',
    )
    expect(
      ruleLabel({
        rule: { tool: '*', pattern: '*', action: 'ask', source: 'builtin' },
        mode: 'auto-edit',
      }),
    ).toBe('any tool: * → ask (auto-edit mode)')
    expect(ruleLabel({ rule: null, mode: 'ask' })).toBeNull()
  })
})

describe('what "Approve for session" adds', () => {
  it('for bash: the first asking subcommand as a command prefix, as the engine derives it', () => {
    const r = request(
      'bash',
      { command: 'ls && touch x.txt' },
      {
        subcommands: [
          { text: 'ls', argv: ['ls'], action: 'allow', risky: [], reason: '' },
          { text: 'touch x.txt', argv: ['touch', 'x.txt'], action: 'ask', risky: [], reason: '' },
        ],
      },
    )
    const preview = sessionRulePreview(r, ROOT)
    expect(preview).toMatchObject({ tool: 'bash', pattern: 'touch x.txt' })
    expect(preview.text).toContain('“touch x.txt”')
  })

  it('for file tools: the file, relative to the workspace', () => {
    const preview = sessionRulePreview(request('edit', { path: `${ROOT}/src/math.ts` }), ROOT)
    expect(preview).toMatchObject({ tool: 'edit', pattern: 'src/math.ts' })
    expect(preview.text).toBe(
      'Also allows edits and writes of src/math.ts for the rest of this session.',
    )
  })

  it('says "this exact call" when the rule cannot be derived here', () => {
    const preview = sessionRulePreview(request('write', { path: '/abs/file.txt' }), null)
    expect(preview.pattern).toBeNull()
    expect(preview.text).toContain('this exact call')
  })
})

describe('pending approval count', () => {
  it('counts what waits, and nothing for an unknown session', () => {
    expect(pendingApprovalCount({ pendingApprovals: ['a', 'b'] })).toBe(2)
    expect(pendingApprovalCount(undefined)).toBe(0)
  })
})
