import type { JSX, ReactNode } from 'react'

/** Small line icons (16px grid, currentColor). Decorative: the control carries the name. */
function Icon({ children }: { children: ReactNode }): JSX.Element {
  return (
    <svg
      className="icon"
      width="16"
      height="16"
      viewBox="0 0 16 16"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.2"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      {children}
    </svg>
  )
}

export function FolderIcon(): JSX.Element {
  return (
    <Icon>
      <path d="M1.5 4.5v8a1 1 0 0 0 1 1h11a1 1 0 0 0 1-1v-6.5a1 1 0 0 0-1-1H7.7L6.2 3.5H2.5a1 1 0 0 0-1 1z" />
    </Icon>
  )
}

export function FolderOpenIcon(): JSX.Element {
  return (
    <Icon>
      <path d="M1.5 12.5v-8a1 1 0 0 1 1-1h3.7l1.5 1.5h4.8a1 1 0 0 1 1 1v1" />
      <path d="M1.5 12.5l2-5h11l-2 5.5H2.5" />
    </Icon>
  )
}

export function PlusIcon(): JSX.Element {
  return (
    <Icon>
      <path d="M8 3v10M3 8h10" />
    </Icon>
  )
}

export function CloseIcon(): JSX.Element {
  return (
    <Icon>
      <path d="M4 4l8 8M12 4l-8 8" />
    </Icon>
  )
}

export function PencilIcon(): JSX.Element {
  return (
    <Icon>
      <path d="M10.5 2.5l3 3L6 13H3v-3z" />
      <path d="M9 4l3 3" />
    </Icon>
  )
}

export function TrashIcon(): JSX.Element {
  return (
    <Icon>
      <path d="M2.5 4h11M6 4V2.5h4V4M4 4l.7 9.5h6.6L12 4M6.8 6.5v5M9.2 6.5v5" />
    </Icon>
  )
}

export function ArrowUpIcon(): JSX.Element {
  return (
    <Icon>
      <path d="M8 13V3M3.5 7.5L8 3l4.5 4.5" />
    </Icon>
  )
}

export function HomeIcon(): JSX.Element {
  return (
    <Icon>
      <path d="M2 7.5L8 2.5l6 5M3.5 6.5v7h3.5v-4h2v4h3.5v-7" />
    </Icon>
  )
}

export function ChatIcon(): JSX.Element {
  return (
    <Icon>
      <path d="M2.5 3.5h11v7.5H7l-3 2.5V11H2.5z" />
    </Icon>
  )
}

export function AlertIcon(): JSX.Element {
  return (
    <Icon>
      <path d="M8 2l6.5 11.5h-13z" />
      <path d="M8 6.5v3.5M8 12v.01" />
    </Icon>
  )
}
