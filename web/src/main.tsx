import { render } from 'preact'

render(<main><h1>血液调配</h1></main>, document.getElementById('app')!)
