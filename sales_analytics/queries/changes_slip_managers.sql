-- Slip per manager and week: for each pair of consecutive snapshots, the manager's open deals in the
-- earlier one (their weighted forecast) and those of them whose expected month is later in the next
-- snapshot, where the deal is still open (pushed). Reads the changes_matched table of this cursor
-- (changes_matched.sql), filled with every pair of consecutive snapshots of a data version once
-- (reports/changes.py keeps the result and takes the weeks of a history from it).
with matched as (
    select * from changes_matched
),

open_in_a as (
    select
        date_a,
        date_b,
        manager_a as manager,
        weighted_a,
        coalesce(status_b = 'open' and month_b > month_a, false) as pushed
    from matched
    where status_a = 'open'
),

final as (
    select
        manager,
        date_b as week,
        date_a as date_from,
        sum(weighted_a)::decimal(38, 2) as forecast,
        coalesce(sum(weighted_a) filter (where pushed), 0)::decimal(38, 2) as slipped,
        count(*) as deals,
        count(*) filter (where pushed) as slipped_deals
    from open_in_a
    group by all
    order by manager nulls last, week
)

select * from final
