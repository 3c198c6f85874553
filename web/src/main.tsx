import { render } from 'preact'
import { App } from './app'
import { getState } from './state'
import './offline/register'
import './styles.css'
import './handoff.css'

document.documentElement.lang = getState().lang === 'zh' ? 'zh-CN' : 'en'
render(<App />, document.getElementById('app')!)
