import { LocationProvider, Route, Router } from 'preact-iso'
import { Header } from './components/header/header'
import { useT } from './lib/i18n'
import { MapPage } from './pages/map-page'
import { PlanPage } from './pages/plan-page'
import { RequestsPage } from './pages/requests-page'
import { SimulatePage } from './pages/simulate-page'
import { SitePage } from './pages/site-page'
import { useAppState } from './state'

function NotFound() {
  return <p>404</p>
}

export function App() {
  const t = useT()
  const { token, me } = useAppState()
  return (
    <LocationProvider>
      <Header />
      <main>
        {token && me ? (
          <Router>
            <Route path="/" component={MapPage} />
            <Route path="/sites/:id" component={SitePage} />
            <Route path="/requests" component={RequestsPage} />
            <Route path="/plan" component={PlanPage} />
            <Route path="/simulate" component={SimulatePage} />
            <Route default component={NotFound} />
          </Router>
        ) : (
          <p class="signin-hint">{token ? t('signin.checking') : t('signin.hint')}</p>
        )}
      </main>
    </LocationProvider>
  )
}
