-- The whole schema, version 1. Later changes go in migrations/NNNN_*.sql, applied in order.
-- Money is DECIMAL(18, 2): exact to the kopeck. Months are stored as the first day of the month.

CREATE TABLE schema_version (
    version     INTEGER NOT NULL,
    applied_at  TIMESTAMP NOT NULL DEFAULT current_timestamp
);

-- One counter that every import and delete bumps, so caches can key on it.
CREATE TABLE data_version (
    version     BIGINT NOT NULL
);
INSERT INTO data_version VALUES (0);

CREATE SEQUENCE batch_id_seq START 1;

-- One uploaded file = one batch. Deleting a batch removes its rows and keeps this record (deleted_at).
CREATE TABLE import_batches (
    batch_id        INTEGER PRIMARY KEY DEFAULT nextval('batch_id_seq'),
    kind            VARCHAR NOT NULL CHECK (kind IN ('sales', 'deals', 'plan')),
    file_name       VARCHAR NOT NULL,
    sha256          VARCHAR NOT NULL,
    archive_path    VARCHAR,
    sheets          VARCHAR[] NOT NULL,
    snapshot_date   DATE,
    row_count       INTEGER NOT NULL,
    skipped_count   INTEGER NOT NULL DEFAULT 0,
    amount_total    DECIMAL(18, 2) NOT NULL,
    margin_total    DECIMAL(18, 2),
    period_from     DATE,
    period_to       DATE,
    warnings        JSON,
    skipped         JSON,
    mapping         JSON,
    is_demo         BOOLEAN NOT NULL DEFAULT false,
    uploaded_by     VARCHAR,
    imported_at     TIMESTAMP NOT NULL DEFAULT current_timestamp,
    deleted_at      TIMESTAMP
);

-- What a batch replaces: rows of earlier batches with the same scope key and a date in
-- [date_from, date_to] are superseded by it (sales: department over the file's period;
-- deals: manager on the snapshot date; plan: department|manager over the file's months).
CREATE TABLE batch_scopes (
    batch_id    INTEGER NOT NULL,
    scope_key   VARCHAR NOT NULL,
    date_from   DATE NOT NULL,
    date_to     DATE NOT NULL
);

CREATE TABLE sales (
    batch_id        INTEGER NOT NULL,
    source_sheet    VARCHAR,
    source_row      INTEGER NOT NULL,
    sale_date       DATE NOT NULL,
    client_key      VARCHAR NOT NULL,
    client_name     VARCHAR NOT NULL,
    manager         VARCHAR,
    department      VARCHAR,
    amount          DECIMAL(18, 2) NOT NULL,
    margin          DECIMAL(18, 2),
    product         VARCHAR,
    document        VARCHAR,
    superseded_by   INTEGER
);

CREATE TABLE deals (
    batch_id            INTEGER NOT NULL,
    snapshot_date       DATE NOT NULL,
    source_sheet        VARCHAR,
    source_row          INTEGER NOT NULL,
    deal_id             VARCHAR,
    client_key          VARCHAR NOT NULL,
    client_name         VARCHAR NOT NULL,
    manager             VARCHAR,
    department          VARCHAR,
    product             VARCHAR,
    amount              DECIMAL(18, 2) NOT NULL,
    margin              DECIMAL(18, 2),
    expected_month      DATE,
    probability         DECIMAL(7, 4) NOT NULL,
    probability_missing BOOLEAN NOT NULL DEFAULT false,
    stage               VARCHAR,
    status              VARCHAR NOT NULL CHECK (status IN ('open', 'won', 'lost')),
    status_text         VARCHAR,
    superseded_by       INTEGER
);

CREATE TABLE plan (
    batch_id        INTEGER NOT NULL,
    source_sheet    VARCHAR,
    source_row      INTEGER NOT NULL,
    month           DATE NOT NULL,
    department      VARCHAR,
    manager         VARCHAR,
    plan_amount     DECIMAL(18, 2) NOT NULL,
    superseded_by   INTEGER
);

-- One row per client key; the name shown is the most frequent spelling in sales and deals.
CREATE TABLE clients (
    client_key      VARCHAR PRIMARY KEY,
    display_name    VARCHAR NOT NULL,
    spellings       INTEGER NOT NULL
);

-- What the reports read: only rows that no later batch replaced.
CREATE VIEW current_sales AS SELECT * EXCLUDE (superseded_by) FROM sales WHERE superseded_by IS NULL;
CREATE VIEW current_plan AS SELECT * EXCLUDE (superseded_by) FROM plan WHERE superseded_by IS NULL;

-- Each manager's department, as of their latest sale: a deal without a department column takes it.
-- Refreshed with every import and delete (ingest.store.refresh_derived), so reading deals costs no
-- pass over the sales.
CREATE TABLE manager_departments (
    manager     VARCHAR PRIMARY KEY,
    department  VARCHAR NOT NULL
);

-- A deal's department: its own column; else the department of its manager's latest sale.
-- NULL here means "no department"; the reports print it in the reader's language.
CREATE VIEW current_deals AS
SELECT d.* EXCLUDE (department, superseded_by),
       coalesce(d.department, m.department) AS department
FROM deals AS d
LEFT JOIN manager_departments AS m USING (manager)
WHERE d.superseded_by IS NULL;
