import type { JSX, ReactNode } from 'react'

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
