import type { Handlers } from '../host/dispatcher'
import type { Discovery } from './discovery'
import { discoverSkills } from './discovery'

export interface SkillHandlerDeps {
  /** A workspace's folder (throws `not_found` for an unknown id). */
  workspaceRoot: (workspaceId: string) => string
  home: string
}

/** `skills.list`: what a session in the workspace would find, with the problems. */
export function skillHandlers(deps: SkillHandlerDeps): Pick<Handlers, 'skills.list'> {
  return {
    'skills.list': ({ workspaceId }) => {
      const workspaceRoot = workspaceId === undefined ? undefined : deps.workspaceRoot(workspaceId)
      return listing(
        discoverSkills({ home: deps.home, ...(workspaceRoot ? { workspaceRoot } : {}) }),
      )
    },
  }
}

/** A discovery as the contract gives it: without the folders and bodies only the engine uses. */
function listing(d: Discovery): ReturnType<Handlers['skills.list']> {
  return {
    skills: d.skills.map(({ dir: _dir, body: _body, ...skill }) => skill),
    problems: d.problems,
    folders: d.folders,
  }
}
