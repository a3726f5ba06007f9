-- Aggregates of the current sales, rebuilt with every import and delete (ingest/derived.py, called
-- from ingest.store.refresh_derived), so that a page reads thousands of rows, not millions:
--   sales_by_day:  net sales per day, department and manager (plan/fact);
--   client_months: net sales per client and month, with the month's latest purchase and whose it
--                  was (dormant and declining clients, segments);
--   client_days:   the same per client and day, in day order, so that a range of days reads only
--                  its own blocks (the months a client window's first or last day cuts).
-- Filled here from the sales already imported (the same queries as queries/derived_*.sql, as of
-- this version). Written to run again on a database that has them (a copy taken back to an older
-- version by hand, as the tests do): the tables are refilled, not duplicated.
CREATE TABLE IF NOT EXISTS sales_by_day (
    sale_date   DATE NOT NULL,
    department  VARCHAR,
    manager     VARCHAR,
    amount      DECIMAL(38, 2) NOT NULL,
    sales_rows  BIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS client_months (
    client_key      VARCHAR NOT NULL,
    month           DATE NOT NULL,
    net             DECIMAL(38, 2) NOT NULL,
    margin          DECIMAL(38, 2),
    last_purchase   DATE,
    last_manager    VARCHAR,
    last_department VARCHAR
);

CREATE TABLE IF NOT EXISTS client_days (
    sale_date       DATE NOT NULL,
    client_key      VARCHAR NOT NULL,
    net             DECIMAL(38, 2) NOT NULL,
    margin          DECIMAL(38, 2),
    bought          BOOLEAN NOT NULL,
    last_manager    VARCHAR,
    last_department VARCHAR
);

DELETE FROM client_days;
INSERT INTO client_days
SELECT
    sale_date,
    client_key,
    sum(amount),
    sum(margin),
    bool_or(amount > 0),
    arg_max_null(manager, (batch_id, source_row)) FILTER (WHERE amount > 0),
    arg_max_null(department, (batch_id, source_row)) FILTER (WHERE amount > 0)
FROM current_sales
GROUP BY sale_date, client_key
ORDER BY sale_date, client_key;

DELETE FROM sales_by_day;
INSERT INTO sales_by_day
SELECT sale_date, department, manager, sum(amount), count(*)
FROM current_sales
GROUP BY sale_date, department, manager
ORDER BY sale_date;

DELETE FROM client_months;
INSERT INTO client_months
SELECT
    client_key,
    date_trunc('month', sale_date)::date AS month,
    sum(amount),
    sum(margin),
    max(sale_date) FILTER (WHERE amount > 0),
    arg_max_null(manager, (sale_date, batch_id, source_row)) FILTER (WHERE amount > 0),
    arg_max_null(department, (sale_date, batch_id, source_row)) FILTER (WHERE amount > 0)
FROM current_sales
GROUP BY client_key, month
ORDER BY client_key, month;
