import type { SystemPromptParts } from '../../src/main/context/system-prompt'
import type { ToolSpec } from '../../src/main/providers/types'

/**
 * The system prompt as Paddock built it before tool descriptions were sent once (the code of
 * `buildSystemPrompt` then, verbatim): a "# Tools" section listing each tool's first description
 * line, which the tool definitions also carried. Sessions started then still store it; tests and
 * `npm run bench -- prefix` build it to exercise and measure the old shape for real.
 */
export function legacySystemPrompt(p: SystemPromptParts & { tools: ToolSpec[] }): string {
  const sections = [
    [
      'You are a coding agent working in Paddock, on the user’s project.',
      'You read and change files and run commands with the tools below to do what the user asks.',
      'Work in small verified steps: read before you edit, run the relevant tests or commands after ' +
        'a change, and say plainly what you did and what is left. Ask when the request is ambiguous ' +
        'in a way that matters.',
    ].join('\n'),
    [
      '# Tools',
      ...p.tools.map((t) => `- ${t.name}: ${t.description.split('\n')[0]}`),
      'Paths are relative to the workspace root. Tool output may be truncated; follow the hint it ' +
        'gives to see more.',
    ].join('\n'),
    [
      '# Environment',
      `Workspace (current directory): ${p.workspaceRoot}`,
      `Operating system: ${p.os}`,
      `Date: ${p.date}`,
    ].join('\n'),
  ]
  if (p.instructions.length) {
    sections.push(
      [
        '# Project instructions',
        'The project’s own instruction files, outermost first; nearer files take precedence.',
        ...p.instructions.map((f) => `## ${f.path}\n\n${f.content.trimEnd()}`),
      ].join('\n\n'),
    )
  }
  return `${sections.join('\n\n')}\n`
}
