-- Incident demand by kind of incident (docs/incidents.md, "Demand by kind of incident"). The factors per kind are data
-- in solver/incident-demand.ts (KIND_FACTORS, each with its published source, pinned by a test against the events it
-- was checked on); here the incident records its kind and what the coordinator knows, and any figure picked inside
-- the estimate's range.
--
-- Incidents declared before this migration were estimated with the 0030 triage factors from combat, terror-attack and
-- trauma series; they become 'crash', whose middle figure is exactly those factors, so their estimate reads unchanged.
ALTER TABLE incident ADD COLUMN kind TEXT NOT NULL DEFAULT 'crash'
  CHECK (kind IN ('earthquake', 'crash', 'explosion', 'flood', 'relief'));
-- what is known besides the triage counts (critical, severe, moderate): the injured, and those admitted to hospital
ALTER TABLE incident ADD COLUMN injured INTEGER CHECK (injured >= 0);
ALTER TABLE incident ADD COLUMN hospitalised INTEGER CHECK (hospitalised >= 0);
-- the coordinator's figure per component inside the estimate's range, e.g. {"RBC": 60}; {} = the middle figure
-- a quota may ask for rare units (the Yibin relief to Wuhan sent Fy(a-) red cells): its antigens, as on aid_request
ALTER TABLE incident_point ADD COLUMN quota_antigens TEXT NOT NULL DEFAULT '';
ALTER TABLE incident ADD COLUMN demand_picks TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(demand_picks) AND json_type(demand_picks) = 'object');
