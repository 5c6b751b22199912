import type { JSX } from 'react'

/** A git branch: two commits and a fork (decorative; the branch's name is always shown or titled). */
export function BranchIcon(): JSX.Element {
  return (
    <svg
      className="icon branch-icon"
      width="14"
      height="14"
      viewBox="0 0 16 16"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.4"
      aria-hidden="true"
    >
      <circle cx="4.5" cy="3.5" r="1.6" />
      <circle cx="4.5" cy="12.5" r="1.6" />
      <circle cx="11.5" cy="5" r="1.6" />
      <path d="M4.5 5.1v5.8M11.5 6.6c0 3-7 2.2-7 4.3" />
    </svg>
  )
}
