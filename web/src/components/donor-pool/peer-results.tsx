import { useState } from 'preact/hooks'
import { api } from '../../lib/api'
import type { AidRequest } from '../../lib/types'
import type { PeerDonor, PeerSearch } from '../../lib/donor-types'
import { dateTime, group } from '../../lib/format'
import { useT } from '../../lib/i18n'
import { useAction } from '../../lib/use-action'
import { useAppState } from '../../state'
import { Confirm } from '../confirm/confirm'
import { ErrorMessage } from '../error-message/error-message'

/**
 * The linked provinces' part of a donor search (province mode): each province's matching donors, or that it did not
 * answer and why — never silently missing. From a request's search, "request call-up" asks that province's
 * coordinator to call the donor (after a confirmation naming the donor, station and request); the answer comes
 * back in the cross-province call-up list.
 */
export function PeerResults({ peers, req, canAsk, onAsked }: { peers: PeerSearch[]; req: AidRequest | null; canAsk: boolean; onAsked: () => void }) {
  return (
    <>
      {peers.map((p) => (
        <PeerProvince key={p.province} peer={p} req={req} canAsk={canAsk} onAsked={onAsked} />
      ))}
    </>
  )
}

function PeerProvince({ peer, req, canAsk, onAsked }: { peer: PeerSearch; req: AidRequest | null; canAsk: boolean; onAsked: () => void }) {
  const t = useT()
  const { lang } = useAppState()
  const { busy, error, run } = useAction()
  const [ask, setAsk] = useState<PeerDonor | null>(null)
  const [asked, setAsked] = useState<string[]>([])
  const province = t(`donors.province.${peer.province}`)
  const stationName = (d: PeerDonor) => (lang === 'en' ? d.station.nameEn : d.station.nameZh)
  const send = async (d: PeerDonor) => {
    const ok = await run(() => api('/api/callup-links', { method: 'POST', body: { requestId: req!.id, province: peer.province, donorCodes: [d.code] } }))
    setAsk(null)
    if (ok) {
      setAsked([...asked, d.code])
      onAsked()
    }
  }
  if (!peer.reachable)
    return (
      <p class="peer-unreachable warn" role="status" data-province={peer.province}>
        {t('donors.link.unreachable', { province, error: peer.error ?? '' })}
      </p>
    )
  return (
    <section class="peer-results" data-province={peer.province}>
      <h4>{t('donors.link.peerCounts', { province, n: peer.total ?? 0, e: peer.eligibleNow ?? 0 })}</h4>
      {peer.donors && peer.donors.length > 0 && (
        <table class="cards donor-results peer-donors">
          <thead>
            <tr>
              <th>{t('donors.code')}</th>
              <th>{t('donors.station')}</th>
              <th>{t('req.group')}</th>
              <th>{t('donors.antigen')}</th>
              <th>{t('donors.eligible')}</th>
              {canAsk && <th />}
            </tr>
          </thead>
          <tbody>
            {peer.donors.map((d) => (
              <tr key={d.code} data-donor={d.code} data-site={d.station.id} data-eligible={String(d.eligibleNow)}>
                <td data-label={t('donors.code')}>
                  <code>{d.code}</code>
                </td>
                <td data-label={t('donors.station')}>
                  {stationName(d)} <span class="meta">{province}</span>
                </td>
                <td data-label={t('req.group')}>{group(d.abo, d.rhd)}</td>
                <td data-label={t('donors.antigen')}>{d.antigens}</td>
                <td data-label={t('donors.eligible')}>
                  {d.eligibleNow ? t('donors.eligibleNowYes') : d.eligibleFrom ? t('donors.eligibleFrom', { at: dateTime(d.eligibleFrom, lang) }) : '—'}
                </td>
                {canAsk && (
                  <td class="actions">
                    {asked.includes(d.code) ? (
                      <span role="status">{t('donors.link.asked', { province })}</span>
                    ) : (
                      <button type="button" class="ask-callup" disabled={busy} onClick={() => setAsk(d)}>
                        {t('donors.link.ask')}
                      </button>
                    )}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {!canAsk && peer.donors && peer.donors.length > 0 && <p class="meta">{t('donors.link.askFromRequest')}</p>}
      {ask && req && (
        <Confirm
          message={t('donors.link.confirmAsk', { province, code: ask.code, site: stationName(ask), request: req.id })}
          yes={t('donors.link.ask')}
          busy={busy}
          onYes={() => void send(ask)}
          onNo={() => setAsk(null)}
        />
      )}
      <ErrorMessage error={error} />
    </section>
  )
}
