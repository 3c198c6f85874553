import type { ApiCallError } from '../../lib/api'
import { errorText } from '../../lib/errors'
import { useT } from '../../lib/i18n'

/** An API error in the UI's language (by code and field); the server's words stay in the title. */
export function ErrorMessage({ error }: { error: ApiCallError | Error | null }) {
  const t = useT()
  if (!error) return null
  const code = 'code' in error ? (error as ApiCallError).code : undefined
  return (
    <p class="error" role="alert" data-code={code} title={error.message}>
      {errorText(error, t)}
    </p>
  )
}

/** The error beside the field it names (`field` or a sub-field of it), or nothing. */
export function FieldError({ error, field }: { error: ApiCallError | null; field: string }) {
  const t = useT()
  if (!error?.field || !(error.field === field || error.field.startsWith(`${field}.`))) return null
  return (
    <span class="field-error" data-field-error={field} role="alert" title={error.message}>
      {errorText(error, t)}
    </span>
  )
}
