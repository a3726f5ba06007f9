-- Version 2: the audit trail. import_batches already says who uploaded a batch (uploaded_by), when
-- (imported_at) and the file's SHA-256; deleted_at says when it was undone but not by whom. This log
-- holds one row per import and per delete, appended in the same transaction and never changed.
CREATE SEQUENCE batch_event_id_seq START 1;

CREATE TABLE batch_events (
    event_id    BIGINT PRIMARY KEY DEFAULT nextval('batch_event_id_seq'),
    batch_id    INTEGER NOT NULL,
    event       VARCHAR NOT NULL CHECK (event IN ('import', 'delete')),
    actor       VARCHAR,
    happened_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);

-- Batches from before version 2, as far as they were recorded (who deleted them is unknown: NULL).
INSERT INTO batch_events (batch_id, event, actor, happened_at)
SELECT batch_id, 'import', uploaded_by, imported_at FROM import_batches ORDER BY batch_id;

INSERT INTO batch_events (batch_id, event, actor, happened_at)
SELECT batch_id, 'delete', NULL, deleted_at FROM import_batches WHERE deleted_at IS NOT NULL ORDER BY deleted_at;
