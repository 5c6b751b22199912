import type { FormEvent, JSX, ReactNode } from 'react'

/**
 * One row of a settings form: the label in the left column, the control with its one-line help and
 * its error on the right. The control gets `id`, and `aria-describedby` = {@link describedBy}.
 */
export function Field({
  id,
  label,
  help,
  error,
  children,
}: {
  id: string
  label: string
  help?: ReactNode
  error?: string | undefined
  children: ReactNode
}): JSX.Element {
  return (
    <div className={error ? 'settings-field has-error' : 'settings-field'}>
      <label htmlFor={id} className="settings-field-label">
        {label}
      </label>
      <div className="settings-field-control">
        {children}
        {error && (
          <p id={`${id}-error`} className="settings-field-error">
            {error}
          </p>
        )}
        {help && (
          <p id={`${id}-help`} className="settings-field-help">
            {help}
          </p>
        )}
      </div>
    </div>
  )
}

/** The ids a field's control is described by: its error first, then its help. */
export function describedBy(
  id: string,
  opts: { help?: boolean; error?: string | undefined },
): string | undefined {
  const ids = [opts.error ? `${id}-error` : null, opts.help ? `${id}-help` : null].filter(Boolean)
  return ids.length > 0 ? ids.join(' ') : undefined
}

/** A settings row whose control is one checkbox with its words beside it. */
export function CheckboxField({
  id,
  label,
  check,
  help,
  error,
  checked,
  disabled,
  onChange,
}: {
  id: string
  label: string
  /** The words beside the box. */
  check: string
  help: string
  error?: string | undefined
  checked: boolean
  disabled: boolean
  onChange: (checked: boolean) => void
}): JSX.Element {
  return (
    <Field id={id} label={label} help={help} error={error}>
      <label className="checkbox">
        <input
          id={id}
          type="checkbox"
          disabled={disabled}
          checked={checked}
          aria-describedby={describedBy(id, { help: true, error })}
          onChange={(e) => onChange(e.target.checked)}
        />
        <span>{check}</span>
      </label>
    </Field>
  )
}

/** The settings could not be read: why, and a way to try again. */
export function LoadError({
  error,
  retry,
}: {
  error: string | null
  retry: () => void
}): JSX.Element | null {
  if (error === null) return null
  return (
    <div role="alert" className="settings-load-error">
      <p>Could not read the settings: {error}</p>
      <button type="button" className="btn" onClick={retry}>
        Retry
      </button>
    </div>
  )
}

/** A settings group saved as one form: its heading, what it is for, a load error, then its rows. */
export function SettingsGroupForm({
  id,
  title,
  description,
  loadError,
  retry,
  onSubmit,
  children,
}: {
  /** Prefix of the group's element ids. */
  id: string
  title: string
  description: ReactNode
  loadError: string | null
  retry: () => void
  onSubmit: (e: FormEvent) => void
  children: ReactNode
}): JSX.Element {
  return (
    <form className="settings-group" aria-labelledby={`${id}-title`} noValidate onSubmit={onSubmit}>
      <div className="settings-group-header">
        <div>
          <h3 id={`${id}-title`}>{title}</h3>
          <p className="muted">{description}</p>
        </div>
      </div>
      <LoadError error={loadError} retry={retry} />
      {children}
    </form>
  )
}
