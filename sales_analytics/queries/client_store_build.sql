-- Builds the client store, an in-memory DuckDB database (see reports/clients.py), from the copies
-- registered as raw_sales, raw_clients, raw_deals and raw_plan. Clients, managers and departments
-- get integer ids: grouping a million sales on an integer is several times cheaper than on text.
-- A missing manager or department gets id 0 (and no name), so that "the manager of the latest
-- purchase" can be missing too (arg_max skips NULL values, it would pick an older row's).
create table client_names as
select (row_number() over (order by client_key))::integer as client_id, client_key, display_name
from raw_clients;

create table manager_names as
select (row_number() over (order by manager))::integer as manager_id, manager
from (select distinct manager from raw_sales where manager is not null);

create table department_names as
select (row_number() over (order by department))::integer as department_id, department
from (select distinct department from raw_sales where department is not null);

-- sorted by client and day: the groupings by client read it in runs
create table client_sales as
select
    c.client_id,
    s.sale_date,
    s.amount,
    s.margin,
    coalesce(m.manager_id, 0) as manager_id,
    coalesce(d.department_id, 0) as department_id,
    s.batch_id,
    s.source_row,
    -- which of a day's rows is the latest: the later upload's later row, as one integer to compare
    (s.batch_id::bigint << 32) + s.source_row as row_order
from raw_sales as s
join client_names as c using (client_key)
left join manager_names as m using (manager)
left join department_names as d using (department)
order by c.client_id, s.sale_date;

create table deal_owners as
select c.client_id, o.manager, o.department
from raw_deals as o
join client_names as c using (client_key);

create table plan_rows as
select month, department, manager, plan_amount from raw_plan;
