import { dateTime } from '../../lib/format'
import { useT } from '../../lib/i18n'
import type { TransferRequestLine } from '../../lib/types'
import { useAppState } from '../../state'

/**
 * The record behind RhD-positive units for an RhD-negative patient (issue 20 §6): who consented and when, the
 * negative anti-D screen, and the patient. Shown wherever such units are reviewed or packed; nothing without one.
 */
export function RhConsentLine({ consent }: { consent: TransferRequestLine['rhPositiveConsent'] }) {
  const t = useT()
  const { lang } = useAppState()
  if (!consent) return null
  return (
    <span class="rh-consent" data-rh-consent>
      {t('rhConsent.line', { by: consent.consentBy, at: dateTime(consent.consentAt, lang), patient: consent.patientNote })}
    </span>
  )
}
