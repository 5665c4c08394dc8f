-- Recruitment, incentives and agency rules (issue 20).
-- An agency assignment's own reference and what DfE's rules and quarterly
-- return need of it.
ALTER TABLE agency_assignment ADD COLUMN reference TEXT;
ALTER TABLE agency_assignment ADD COLUMN role_type TEXT;
ALTER TABLE agency_assignment ADD COLUMN project_team INTEGER;
ALTER TABLE agency_assignment ADD COLUMN notice_weeks REAL;
ALTER TABLE agency_assignment ADD COLUMN signed_off_by TEXT;
ALTER TABLE agency_assignment ADD COLUMN la_experience_months REAL;
-- Vacancies (applicant tracking), incentive payments, price caps and a
-- regional list of leavers. One row per record: its kind, the person (a
-- payment's only), its key date (advert, payment, cap from, last day), the
-- key an export of changes replaces it by, and the record itself as JSON
-- (sightline_core::recruitment, incentives, agency_rules).
CREATE TABLE recruitment_record (
    batch_id INTEGER NOT NULL REFERENCES import_batch (id),
    person_id INTEGER REFERENCES person (id),
    kind TEXT NOT NULL CHECK (kind IN ('vacancy', 'payment', 'price_cap', 'regional_leaver')),
    date TEXT NOT NULL,
    record_key TEXT NOT NULL,
    detail TEXT NOT NULL
);
CREATE INDEX recruitment_record_batch ON recruitment_record (batch_id);
CREATE INDEX recruitment_record_kind ON recruitment_record (kind, record_key);
