import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import type { JSX } from 'react'
import type { SkillList, SkillSource } from '../../../../shared/contract'
import type { Workspace } from '../../../../shared/model'
import { sortedWorkspaces } from '../../../../shared/state'
import { useAppStore } from '../../app/store'
import { getClient } from '../../lib/api/client'
import { errorMessage } from '../../lib/api/error-message'
import '../../styles/settings-skills.css'

const SOURCE_LABEL: Record<SkillSource, string> = {
  'workspace-agents': '.agents/skills',
  'workspace-paddock': '.paddock/skills',
  'user-agents': '~/.agents/skills',
  'user-paddock': '~/.paddock/skills',
}

/** A skills listing read from the host when shown and on Refresh; a late answer is dropped. */
function useSkills(workspaceId: string | null): {
  list: SkillList | null
  error: string | null
  reload: () => void
} {
  const [list, setList] = useState<SkillList | null>(null)
  const [error, setError] = useState<string | null>(null)
  const generation = useRef(0)
  const reload = useCallback(() => {
    const mine = ++generation.current
    getClient()
      .call('skills.list', workspaceId ? { workspaceId } : {})
      .then(
        (answer) => {
          if (mine !== generation.current) return
          setList(answer)
          setError(null)
        },
        (err: unknown) => {
          if (mine === generation.current) setError(errorMessage(err))
        },
      )
  }, [workspaceId])
  useEffect(reload, [reload])
  return { list, error, reload }
}

/** One listing: the skills of the chosen scope and what is wrong with the others. */
function SkillsGroup({
  title,
  description,
  workspace,
}: {
  title: string
  description: string
  workspace: Workspace | null
}): JSX.Element {
  const { list, error, reload } = useSkills(workspace?.id ?? null)
  const ownSource = (s: SkillSource): boolean =>
    workspace ? s.startsWith('workspace-') : s.startsWith('user-')
  const skills = list?.skills.filter((s) => ownSource(s.source)) ?? []
  const folders = list?.folders.filter((f) => ownSource(f.source)) ?? []
  // A workspace lists its own folders' problems and the user skills it overrides.
  const problems =
    list?.problems.filter(
      (p) =>
        folders.some((f) => p.path.startsWith(`${f.path}/`)) ||
        (workspace !== null && p.message.includes(' takes precedence')),
    ) ?? []
  const id = `skills-${workspace?.id ?? 'user'}`
  return (
    <section className="settings-group" aria-labelledby={`${id}-title`}>
      <div className="settings-group-header">
        <div>
          <h3 id={`${id}-title`}>{title}</h3>
          <p className="muted">{description}</p>
          <ul className="skills-folders settings-mono" aria-label={`Folders: ${title}`}>
            {folders.map((f) => (
              <li key={f.path}>{f.path}</li>
            ))}
          </ul>
        </div>
        <button type="button" className="btn" onClick={reload}>
          Refresh
        </button>
      </div>
      {error !== null && (
        <p role="alert" className="settings-load-error">
          Could not read the skills: {error}
        </p>
      )}
      {list === null ? (
        error === null && <p className="muted">Looking for skills…</p>
      ) : skills.length === 0 ? (
        <p className="settings-empty muted">
          No skills here. A skill is a folder holding a SKILL.md, in one of the folders above.
        </p>
      ) : (
        <div className="skills-scroll">
          <table className="rules-table skills-table" aria-label={`Skills: ${title}`}>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Description</th>
                <th scope="col">Folder</th>
                <th scope="col">Model</th>
              </tr>
            </thead>
            <tbody>
              {skills.map((s) => (
                <tr key={s.path}>
                  <td>
                    <code>/{s.name}</code>
                  </td>
                  <td className="skills-description" title={s.description}>
                    <span className="skills-description-text">{s.description}</span>
                  </td>
                  <td className="settings-mono skills-source" title={s.path}>
                    {SOURCE_LABEL[s.source]}
                  </td>
                  <td>
                    {s.hiddenFromModel ? (
                      <span className="settings-badge" title="disable-model-invocation: true">
                        Hidden
                      </span>
                    ) : (
                      <span className="muted">Listed</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {problems.length > 0 && (
        <ul className="skills-problems" aria-label={`Problems: ${title}`}>
          {problems.map((p) => (
            <li key={`${p.path}:${p.message}`} className={`skills-problem is-${p.severity}`}>
              <span className="skills-severity">
                {p.severity === 'error' ? 'Error' : 'Warning'}
              </span>
              <span className="settings-mono skills-problem-path">{p.path}</span>
              <span className="skills-problem-message">{p.message}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}

/**
 * Settings → Skills: the skills in your home folder, then each open workspace's own (which win
 * over yours by name), whether the model is told of each, and what is wrong with the rest.
 */
export function SkillsSection(): JSX.Element {
  const host = useAppStore((s) => s.host)
  const workspaces = useMemo(() => sortedWorkspaces(host), [host])
  return (
    <>
      <SkillsGroup
        title="Your skills"
        description="In your home folder: every session sees them."
        workspace={null}
      />
      {workspaces.map((w) => (
        <SkillsGroup
          key={w.id}
          title={w.name}
          description="This workspace’s own skills: sessions in it see them, and they win over yours of the same name."
          workspace={w}
        />
      ))}
    </>
  )
}
