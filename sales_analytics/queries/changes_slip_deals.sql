-- Slip per deal over a history of snapshots, $first to $last: how many times, and by how many months
-- in all, its expected month was pushed later (open in two consecutive snapshots, a later month in
-- the second). Only deals pushed at least once. Reads changes_slip_nodes (changes_slip_nodes.sql,
-- with each row's chain: the first row of its deal's chain of matches, which reports/changes.py
-- follows back from snapshot to snapshot). The nodes may cover a longer history than asked: the
-- rows of $first to $last are those of the history, and a push counts when both of its snapshots
-- are in it (the row pushed is seen after $first). A chain cut to a span of snapshots is still one
-- deal's rows: matches only join consecutive snapshots.
with nodes as (
    select * from changes_slip_nodes where seen between $first and $last
),

clients as (
    select client_key, display_name from clients
),

chain_pushes as (
    select chain, count(*) as times_pushed, sum(pushed_months) as months_pushed
    from nodes
    where seen > $first and pushed_months is not null
    group by chain
),

chains as (
    select
        n.chain,
        any_value(p.times_pushed) as times_pushed,
        any_value(p.months_pushed) as months_pushed,
        arg_min(n.month, n.seen) as first_month,
        min(n.seen) as first_seen,
        max(n.seen) as last_seen,
        arg_max(n.ref, n.seen) as latest_ref
    from nodes as n
    join chain_pushes as p using (chain)
    group by n.chain
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
