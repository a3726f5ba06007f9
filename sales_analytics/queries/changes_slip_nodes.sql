-- Every deal row of a history of consecutive snapshots once, for the slip per deal
-- (changes_slip_deals.sql): the B side of every pair, and the A side of the first pair. Reads
-- changes_matched (changes_matched.sql: every pair of consecutive snapshots of the history).
-- previous: the deal's row in the snapshot before (its match), which chains a deal's rows across the
-- snapshots; pushed_months: when the deal was open in both and its expected month is later in this
-- snapshot, by how many months (a push), else empty. Ordered by snapshot: reports/changes.py follows
-- the chains snapshot by snapshot.
with matched as (
    select * from changes_matched
),

b_rows as (
    select
        ref_b as ref, date_b as seen, ref_a as previous,
        case when status_a = 'open' and status_b = 'open' and month_b > month_a
            then date_diff('month', month_a, month_b) end as pushed_months,
        deal_id_b as deal_id, client_key_b as client_key, client_name_b as client_name,
        manager_b as manager, department_b as department, product_b as product, month_b as month,
        value_b as value, probability_b as probability, weighted_b as weighted, status_b as status
    from matched
    where ref_b is not null
),

first_rows as (
    select
        ref_a, date_a, null::bigint, null::bigint, deal_id_a, client_key_a, client_name_a, manager_a,
        department_a, product_a, month_a, value_a, probability_a, weighted_a, status_a
    from matched
    where pair_no = 1 and ref_a is not null
),

final as (
    select * from b_rows
    union all
    select * from first_rows
    order by seen, ref
)

select * from final
