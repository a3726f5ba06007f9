-- Builds the client store, an in-memory DuckDB database (see reports/clients.py), from the copies
-- registered as raw_months, raw_clients, raw_deals and raw_plan. Clients get integer ids: grouping
-- a million client months on an integer is several times cheaper than on text.
create table client_names as
select (row_number() over (order by client_key))::integer as client_id, client_key, display_name
from raw_clients;

-- sorted by client and month: the groupings by client read it in runs
create table client_months as
select c.client_id, m.month, m.net, m.margin, m.last_purchase, m.last_manager, m.last_department
from raw_months as m
join client_names as c using (client_key)
order by c.client_id, m.month;

create table deal_owners as
select c.client_id, o.manager, o.department
from raw_deals as o
join client_names as c using (client_key);

create table plan_rows as
select month, department, manager, plan_amount from raw_plan;
