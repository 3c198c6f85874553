import type { ComponentChildren } from 'preact'
import { useT } from '../../lib/i18n'
import { ABOS, COMPONENTS } from '../../lib/types'

type Field = 'component' | 'abo' | 'rhd'

/**
 * The component, ABO and RhD selects every form that names blood asks for (an order, an aid request, a receipt):
 * one set, so each reads and sends the same values. `after` puts a field's error or hint under its select.
 */
export function BloodTypeFields({
  value,
  onChange,
  componentLabel,
  after,
}: {
  value: { component: string; abo: string; rhd: string }
  onChange: (k: Field) => (e: Event) => void
  componentLabel: string
  after?: (k: Field) => ComponentChildren
}) {
  const t = useT()
  return (
    <>
      <label>
        {componentLabel}
        <select name="component" value={value.component} onChange={onChange('component')}>
          {COMPONENTS.map((c) => (
            <option key={c} value={c}>
              {t(`component.${c}`)}
            </option>
          ))}
        </select>
        {after?.('component')}
      </label>
      <label>
        ABO
        <select name="abo" value={value.abo} onChange={onChange('abo')}>
          {ABOS.map((a) => (
            <option key={a} value={a}>
              {a}
            </option>
          ))}
        </select>
        {after?.('abo')}
      </label>
      <label>
        RhD
        <select name="rhd" value={value.rhd} onChange={onChange('rhd')}>
          <option value="+">+</option>
          <option value="-">−</option>
        </select>
        {after?.('rhd')}
      </label>
    </>
  )
}
