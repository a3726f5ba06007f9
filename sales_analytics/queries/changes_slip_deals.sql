-- Slip per deal over a history of snapshots: how many times, and by how many months in all, its
-- expected month was pushed later (open in two consecutive snapshots, a later month in the second).
-- Only deals pushed at least once. Reads the changes_matched table of this cursor
-- (changes_matched.sql), filled with every pair of consecutive snapshots of the history.
-- A deal's identity across snapshots is its chain of matches: each matched row points back to its
-- row in the previous snapshot; doubling the pointers ten times (each step looks twice as far back)
-- reaches the chain's first row for histories of up to 1,024 snapshots, about twenty years of weeks.
with matched as (
    select * from changes_matched
),

clients as (
    select client_key, display_name from clients
),

-- every deal row once: the B side of every pair, and the A side of the first pair
nodes as materialized (
    select
        ref_b as ref, date_b as seen, deal_id_b as deal_id, client_key_b as client_key,
        client_name_b as client_name, manager_b as manager, department_b as department,
        product_b as product, month_b as month, value_b as value, probability_b as probability,
        weighted_b as weighted, status_b as status, ref_a as previous
    from matched
    where ref_b is not null
    union all
    select
        ref_a, date_a, deal_id_a, client_key_a, client_name_a, manager_a, department_a, product_a,
        month_a, value_a, probability_a, weighted_a, status_a, null
    from matched
    where pair_no = 1 and ref_a is not null
),

pushes as (
    select ref_b as ref, date_diff('month', month_a, month_b) as months
    from matched
    where status_a = 'open' and status_b = 'open' and month_b > month_a
),

up_0 as (select ref, coalesce(previous, ref) as up from nodes),
up_1 as (select a.ref, b.up from up_0 as a join up_0 as b on b.ref = a.up),
up_2 as (select a.ref, b.up from up_1 as a join up_1 as b on b.ref = a.up),
up_3 as (select a.ref, b.up from up_2 as a join up_2 as b on b.ref = a.up),
up_4 as (select a.ref, b.up from up_3 as a join up_3 as b on b.ref = a.up),
up_5 as (select a.ref, b.up from up_4 as a join up_4 as b on b.ref = a.up),
up_6 as (select a.ref, b.up from up_5 as a join up_5 as b on b.ref = a.up),
up_7 as (select a.ref, b.up from up_6 as a join up_6 as b on b.ref = a.up),
up_8 as (select a.ref, b.up from up_7 as a join up_7 as b on b.ref = a.up),
up_9 as (select a.ref, b.up from up_8 as a join up_8 as b on b.ref = a.up),
up_10 as (select a.ref, b.up from up_9 as a join up_9 as b on b.ref = a.up),

chain_pushes as (
    select c.up as chain, count(*) as times_pushed, sum(p.months) as months_pushed
    from pushes as p
    join up_10 as c using (ref)
    group by c.up
),

chain_rows as (
    select n.*, c.up as chain, p.times_pushed, p.months_pushed
    from nodes as n
    join up_10 as c using (ref)
    join chain_pushes as p on p.chain = c.up
),

chains as (
    select
        chain,
        any_value(times_pushed) as times_pushed,
        any_value(months_pushed) as months_pushed,
        arg_min(month, seen) as first_month,
        min(seen) as first_seen,
        max(seen) as last_seen,
        arg_max(ref, seen) as latest_ref
    from chain_rows
    group by chain
),

final as (
    select
        coalesce(cl.display_name, n.client_name) as client,
        n.manager,
        n.department,
        n.product,
        n.deal_id,
        c.times_pushed,
        c.months_pushed,
        c.first_month,
        n.month,
        c.first_seen,
        c.last_seen,
        n.status,
        n.value,
        n.probability,
        case when n.status = 'open' then n.weighted end::decimal(38, 2) as weighted
    from chains as c
    join nodes as n on n.ref = c.latest_ref
    left join clients as cl on cl.client_key = n.client_key
    order by c.times_pushed desc, c.months_pushed desc, weighted desc nulls last, client, n.product
)

select * from final
