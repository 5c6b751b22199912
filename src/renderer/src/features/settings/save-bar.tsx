import type { JSX } from 'react'

/**
 * The Save / Revert row at the foot of a settings form, the same in every section: Save submits
 * the form (never disabled while saving: a disabled button would drop the keyboard focus),
 * Revert drops the draft and hands the focus to Save beside it, "Unsaved changes" shows while the
 * draft differs, and the status line is read out.
 */
export function SaveBar(props: {
  /** The form can be submitted (its stored values are loaded). */
  ready: boolean
  /** The draft differs from what is stored. */
  changed: boolean
  saving?: boolean
  status: string
  /** Drop the draft: what is stored shows again. */
  onRevert: () => void
}): JSX.Element {
  return (
    <div className="settings-actions">
      <button type="submit" className="btn btn-primary" disabled={!props.ready}>
        Save
      </button>
      <button
        type="button"
        className="btn"
        disabled={!props.changed || props.saving === true}
        onClick={(e) => {
          props.onRevert()
          // Disabled once nothing is left to revert: focus goes to Save beside it.
          const save = e.currentTarget.previousElementSibling
          if (save instanceof HTMLElement) save.focus()
        }}
      >
        Revert
      </button>
      {props.changed && <span className="settings-unsaved">Unsaved changes</span>}
      <p role="status" className="settings-saved">
        {props.status}
      </p>
    </div>
  )
}
