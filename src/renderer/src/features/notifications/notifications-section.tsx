import type { JSX } from 'react'
import type { NotifySettings } from '../../../../shared/notify-policy'
import { DEFAULT_NOTIFY_SETTINGS } from '../../../../shared/notify-policy'
import type { Toggle } from '../settings/toggle-group'
import { ToggleGroup } from '../settings/toggle-group'
import { DeliveryGroup } from './delivery-group'
import { NOTIFY_SETTING_KEYS } from './notify-settings'

type Name = keyof NotifySettings

const toggle = (name: Name, row: Pick<Toggle, 'label' | 'check' | 'help'>): Toggle => ({
  key: NOTIFY_SETTING_KEYS[name],
  fallback: DEFAULT_NOTIFY_SETTINGS[name],
  ...row,
})

const CHOICES: readonly Toggle[] = [
  toggle('approvalInput', {
    label: 'Waiting on you',
    check: 'Approval or input needed',
    help: 'A session asks to run something, asks you a question, or stopped at its turn limit or spend cap.',
  }),
  toggle('finished', {
    label: 'Finished',
    check: 'A session finished',
    help: 'Its run ended with an answer (with or without changes to review).',
  }),
  toggle('failed', {
    label: 'Failed',
    check: 'A session failed',
    help: 'Its run ended with an error, or its conversation no longer fit the model.',
  }),
  toggle('sound', {
    label: 'Sound',
    check: 'Play a short tone',
    help: 'Once per batch of notifications, however many sessions it is about.',
  }),
]

/**
 * Settings → Notifications: where they show (the browser's permission and its button, or the
 * system's), and which events notify, with the tone on or off.
 */
export function NotificationsSection(): JSX.Element {
  return (
    <>
      <DeliveryGroup />
      <ToggleGroup
        id="notify"
        title="What notifies"
        description="Only about sessions you are not looking at: the window is in the background, or the session is not on screen. Changes within two seconds make one notification per session."
        toggles={CHOICES}
      />
    </>
  )
}
