-- The data quality panel: whether a deal's status was a word the importer did not know (it counts
-- as open, SPEC.md "Deal forecast"). Set at import from the staging flag; a missing probability is
-- already kept (probability_missing) and a missing month is a NULL expected_month.
ALTER TABLE deals ADD COLUMN status_unknown BOOLEAN NOT NULL DEFAULT false;

-- Deals imported before this version: the status words the importer read as open, as of this
-- version (ingest/sql/parse_macros.sql, sa_status); won and lost words never count as unknown.
UPDATE deals SET status_unknown = true
WHERE status = 'open'
  AND status_text IS NOT NULL
  AND NOT regexp_matches(lower(status_text), '^\s*(в работе|открыт|активн|новая|новый|open|in progress|active|new)');
