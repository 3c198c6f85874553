import { createRoute, OpenAPIHono } from '@hono/zod-openapi'
import type { AppEnv } from '../env'
import { ErrorBody } from '../errors'
import { body, json } from '../schemas/common'
import { SimulationCreate, SimulationResult } from '../schemas/simulation'
import { runSimulation } from '../services/simulations'
import { errors as baseErrors, security } from './responses'

export const simulations = new OpenAPIHono<AppEnv>()
const errors = {
  ...baseErrors,
  403: json(ErrorBody, 'Not allowed for this role'),
}

simulations.openapi(
  createRoute({
    method: 'post',
    path: '/',
    tags: ['simulations'],
    security,
    summary: 'What-if: simulate a seasonal shortfall on the live region and compare dispatch policies (planner, coordinator or admin)',
    description:
      "Starts from the live region (unexpired lots, 14-day average daily issue per site × component × group with a small floor, the provinces' " +
      'warning thresholds) and simulates `days` days of the scenario once per policy with the same random draws. Nothing is stored. ' +
      'See docs/simulation.md for the scenarios and assumptions.',
    request: { body: body(SimulationCreate, 'Scenario, days, seed and 1–4 policies') },
    responses: { 200: json(SimulationResult, 'Metrics per policy'), ...errors },
  }),
  async (c) => c.json(await runSimulation(c.env.DB, c.var.actor, c.req.valid('json')), 200),
)
