import { LocationProvider, Route, Router } from 'preact-iso'
import { useEffect, useRef } from 'preact/hooks'
import { Alerts } from './components/alerts/alerts'
import { Header } from './components/header/header'
import { whoAmI } from './components/sign-in/sign-in'
import type { ApiCallError } from './lib/api'
import { OfflineBar } from './offline/offline-bar'
import { startEvents, stopEvents } from './lib/events'
import { useT } from './lib/i18n'
import { AdminPage } from './pages/admin-page'
import { IncidentPage } from './pages/incident-page'
import { IncidentsPage } from './pages/incidents-page'
import { DonorsPage } from './pages/donors-page'
import { HospitalPage } from './pages/hospital-page'
import { MapPage } from './pages/map-page'
import { NotFoundPage } from './pages/not-found-page'
import { PlanPage } from './pages/plan-page'
import { ProvinceAidPage } from './pages/province-aid-page'
import { ProvincesPage } from './pages/provinces-page'
import { ReportPage } from './pages/report-page'
import { RequestsPage } from './pages/requests-page'
import { SimulatePage } from './pages/simulate-page'
import { SheetPage } from './pages/sheet-page'
import { SitePage } from './pages/site-page'
import { StationPage } from './pages/station-page'
import { getState, setState, useAppState, type Me } from './state'
import './app.css'

export function App() {
  const t = useT()
  const { token, me } = useAppState()
  // When the API stops taking the token (an admin rotated or revoked it) `me` is kept (lib/api.ts): the pages stay
  // mounted, inert under the sign-in box, so nothing half-typed is lost; the same user signing in again carries
  // on where they were (keyed by user), anyone else gets fresh pages. Signing out drops everything.
  const user = me
  const live = !!(token && me)
  // Another tab signed in anew (a rotated token): the token changes under the same `me` (state.ts keeps it), so
  // the page stays; whose token it is gets checked, and only someone else's gets fresh pages.
  const seen = useRef<{ token: string | null; me: Me | null }>({ token, me })
  useEffect(() => {
    const before = seen.current
    seen.current = { token, me }
    if (!token || !me || me !== before.me || token === before.token) return
    whoAmI(token)
      .then((m) => {
        if (getState().token === token && m.id !== getState().me?.id) setState({ me: m })
      })
      .catch((e: ApiCallError) => {
        if (getState().token === token) setState({ token: null, me: null, signedOut: e.status === 401 ? { code: e.code, message: e.message } : null })
      })
  }, [token, me])
  // changes reach every open page through the events feed while someone is signed in
  useEffect(() => {
    if (live) startEvents()
    else stopEvents()
  }, [token, me])
  return (
    <LocationProvider>
      <Header />
      <OfflineBar />
      {live && <Alerts />}
      <main>
        {!live && <p class="signin-hint">{token ? t('signin.checking') : t('signin.hint')}</p>}
        {user && (
          <div key={user.id} class={live ? 'pages' : 'pages paused'} inert={!live}>
            <Router>
              {/* a director's home is their station; the region map is one link away */}
              <Route path="/" component={user.role === 'director' ? StationPage : user.role === 'hospital' ? HospitalPage : MapPage} />
              <Route path="/hospital" component={HospitalPage} />
              <Route path="/map" component={MapPage} />
              <Route path="/sites/:id" component={SitePage} />
              <Route path="/requests" component={RequestsPage} />
              <Route path="/plan" component={PlanPage} />
              <Route path="/simulate" component={SimulatePage} />
              <Route path="/station" component={StationPage} />
              <Route path="/sheet" component={SheetPage} />
              <Route path="/admin" component={AdminPage} />
              <Route path="/incidents" component={IncidentsPage} />
              <Route path="/incidents/:id" component={IncidentPage} />
              <Route path="/donors" component={DonorsPage} />
              <Route path="/provinces" component={ProvincesPage} />
              <Route path="/report" component={ReportPage} />
              <Route path="/province-aid" component={ProvinceAidPage} />
              <Route default component={NotFoundPage} />
            </Router>
          </div>
        )}
      </main>
    </LocationProvider>
  )
}
