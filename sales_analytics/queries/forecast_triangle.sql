-- The forecast triangle: for each month, its weighted forecast in every snapshot taken before or
-- during it (a month's cell is empty in snapshots taken after it ended), with the month's plan.
-- Read across a row: how the forecast of one month evolved, week by week ("which month is melting").
-- $last_snapshot: the latest snapshot to show; $months: months after the latest snapshot's month to
-- show; $by: department | manager | all, with $group (NULL: all groups) and $group_is_missing (the
-- group asked for is "no department" / "no manager"); $measure: amount | margin.
with deals as materialized (
    select snapshot_date, status, department, manager, amount, margin, probability, expected_month
    from current_deals
    where snapshot_date <= $last_snapshot
),

plan as (
    select month, department, manager, plan_amount from current_plan
),

snapshots as (
    select distinct snapshot_date from deals
),

target_months as (
    select unnest(generate_series(
        (select date_trunc('month', min(snapshot_date)) from snapshots)::date,
        (date_trunc('month', $last_snapshot::date) + to_months($months::integer - 1))::date,
        interval 1 month
    ))::date as month
),

chosen_deals as (
    select
        snapshot_date,
        expected_month as month,
        round((case $measure when 'margin' then coalesce(margin, 0::decimal(18, 2)) else amount end) * probability, 2)
            as weighted
    from deals
    where status = 'open'
      and expected_month is not null
      and (
            $group is null
            or ($group_is_missing and (case $by when 'department' then department else manager end) is null)
            or (not $group_is_missing and (case $by when 'department' then department else manager end) = $group)
        )
),

cells as (
    select snapshot_date, month, sum(weighted) as weighted, count(*) as deals
    from chosen_deals
    group by all
),

-- the same plan rule as the forecast: the rows naming the group; the total is every row
plan_cells as (
    select month, sum(plan_amount) as plan
    from plan
    where $measure = 'amount'
      and (
            $group is null
            or ($by = 'department' and (($group_is_missing and department is null) or department = $group))
            or ($by = 'manager' and (($group_is_missing and manager is null) or manager = $group))
        )
    group by month
),

final as (
    select
        m.month,
        s.snapshot_date,
        coalesce(c.weighted, 0)::decimal(38, 2) as weighted,
        coalesce(c.deals, 0) as deals,
        p.plan
    from target_months as m
    join snapshots as s on date_trunc('month', s.snapshot_date) <= m.month
    left join cells as c on c.snapshot_date = s.snapshot_date and c.month = m.month
    left join plan_cells as p on p.month = m.month
    order by m.month, s.snapshot_date
)

select * from final
