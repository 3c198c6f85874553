import { LocationProvider, Route, Router } from 'preact-iso'
import { useEffect } from 'preact/hooks'
import { Alerts } from './components/alerts/alerts'
import { Header } from './components/header/header'
import { OfflineBar } from './offline/offline-bar'
import { startEvents, stopEvents } from './lib/events'
import { useT } from './lib/i18n'
import { AdminPage } from './pages/admin-page'
import { IncidentPage } from './pages/incident-page'
import { IncidentsPage } from './pages/incidents-page'
import { DonorsPage } from './pages/donors-page'
import { MapPage } from './pages/map-page'
import { NotFoundPage } from './pages/not-found-page'
import { PlanPage } from './pages/plan-page'
import { RequestsPage } from './pages/requests-page'
import { SimulatePage } from './pages/simulate-page'
import { SheetPage } from './pages/sheet-page'
import { SitePage } from './pages/site-page'
import { StationPage } from './pages/station-page'
import { useAppState } from './state'

export function App() {
  const t = useT()
  const { token, me } = useAppState()
  // changes reach every open page through the events feed while someone is signed in
  useEffect(() => {
    if (token && me) startEvents()
    else stopEvents()
  }, [token, me])
  return (
    <LocationProvider>
      <Header />
      <OfflineBar />
      {token && me && <Alerts />}
      <main>
        {token && me ? (
          <Router>
            <Route path="/" component={MapPage} />
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
            <Route default component={NotFoundPage} />
          </Router>
        ) : (
          <p class="signin-hint">{token ? t('signin.checking') : t('signin.hint')}</p>
        )}
      </main>
    </LocationProvider>
  )
}
