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

export function GearIcon(): JSX.Element {
  return (
    <Icon>
      <path d="M12.98 6.49L14.69 6.8L14.69 9.2L12.98 9.51L12.59 10.45L13.58 11.89L11.89 13.58L10.45 12.59L9.51 12.98L9.2 14.69L6.8 14.69L6.49 12.98L5.55 12.59L4.11 13.58L2.42 11.89L3.41 10.45L3.02 9.51L1.31 9.2L1.31 6.8L3.02 6.49L3.41 5.55L2.42 4.11L4.11 2.42L5.55 3.41L6.49 3.02L6.8 1.31L9.2 1.31L9.51 3.02L10.45 3.41L11.89 2.42L13.58 4.11L12.59 5.55z" />
      <circle cx="8" cy="8" r="2.2" />
    </Icon>
  )
}

export function CheckCircleIcon(): JSX.Element {
  return (
    <Icon>
      <circle cx="8" cy="8" r="6.5" />
      <path d="M5.2 8.2l1.9 1.9 3.7-3.9" />
    </Icon>
  )
}

export function ErrorCircleIcon(): JSX.Element {
  return (
    <Icon>
      <circle cx="8" cy="8" r="6.5" />
      <path d="M5.8 5.8l4.4 4.4M10.2 5.8l-4.4 4.4" />
    </Icon>
  )
}

export function EyeIcon(): JSX.Element {
  return (
    <Icon>
      <path d="M1.5 8s2.4-4.5 6.5-4.5 6.5 4.5 6.5 4.5-2.4 4.5-6.5 4.5S1.5 8 1.5 8z" />
      <circle cx="8" cy="8" r="2" />
    </Icon>
  )
}

export function EyeOffIcon(): JSX.Element {
  return (
    <Icon>
      <path d="M6.3 3.7A6.6 6.6 0 0 1 8 3.5c4.1 0 6.5 4.5 6.5 4.5a11 11 0 0 1-1.9 2.4M10.6 11.9A6.4 6.4 0 0 1 8 12.5C3.9 12.5 1.5 8 1.5 8a11.3 11.3 0 0 1 2.6-3.1" />
      <path d="M6.6 6.6a2 2 0 0 0 2.8 2.8M2 2l12 12" />
    </Icon>
  )
}

export function ServerIcon(): JSX.Element {
  return (
    <Icon>
      <rect x="2" y="2.5" width="12" height="4.5" rx="1" />
      <rect x="2" y="9" width="12" height="4.5" rx="1" />
      <path d="M4.5 4.75h.01M4.5 11.25h.01" />
    </Icon>
  )
}

/** Several agents: three stacked rows with a dot each (the Agents view). */
export function AgentsIcon(): JSX.Element {
  return (
    <Icon>
      <circle cx="3.5" cy="4" r="1.2" />
      <circle cx="3.5" cy="8" r="1.2" />
      <circle cx="3.5" cy="12" r="1.2" />
      <path d="M6.5 4h7M6.5 8h7M6.5 12h7" />
    </Icon>
  )
}

/** Two panes side by side: open to the side. */
export function SplitIcon(): JSX.Element {
  return (
    <Icon>
      <rect x="1.5" y="2.5" width="13" height="11" rx="1" />
      <path d="M8 2.5v11" />
    </Icon>
  )
}

export function MaximiseIcon(): JSX.Element {
  return (
    <Icon>
      <path d="M9.5 2.5h4v4M6.5 13.5h-4v-4M13.5 2.5 9 7M2.5 13.5 7 9" />
    </Icon>
  )
}

export function RestoreIcon(): JSX.Element {
  return (
    <Icon>
      <path d="M13.5 6.5h-4v-4M2.5 9.5h4v4M9.5 6.5l4-4M6.5 9.5l-4 4" />
    </Icon>
  )
}
