-- component.min_remaining_hours held the same numbers as the planner's default (solver/timing.ts
-- DEFAULT_MIN_REMAINING_HOURS: WB 72, RBC 72, PLT 12, FFP 168, CRYO 168) and nothing read it: editing it
-- would have changed no plan. The rule lives in one place, the solver, and an instance may override it
-- (options.minRemainingHours, docs/plan-instance.md).
ALTER TABLE component DROP COLUMN min_remaining_hours;
