-- Landing of the snapshot's own month, per group and in total: fact to date (sales dated from the
-- month's first day to the snapshot date) + weighted open deals expected in the month, against the
-- month's plan. Sales after the snapshot date are left out: a deal won after it is still open in the
-- snapshot and would count twice. Overdue deals are not added (they are shown apart).
-- The total row (is_total) sums every sale, deal and plan row of the month, also those of no group.
-- $snapshot: the snapshot date; $by: department | manager | all; $measure: amount | margin.
with month_deals as (
    select department, manager, amount, margin, probability
    from current_deals
    where snapshot_date = $snapshot
      and status = 'open'
      and expected_month = date_trunc('month', $snapshot::date)::date
),

month_sales as (
    select department, manager, amount, margin
    from current_sales
    where sale_date between date_trunc('month', $snapshot::date)::date and $snapshot::date
),

month_plan as (
    select department, manager, plan_amount
    from current_plan
    where month = date_trunc('month', $snapshot::date)::date
),

deal_cells as (
    select
        case $by when 'department' then department when 'manager' then manager end as group_name,
        grouping(group_name) = 1 as is_total,
        sum(round(
            (case $measure when 'margin' then coalesce(margin, 0::decimal(18, 2)) else amount end) * probability,
            2
        )) as weighted_open,
        count(*) as deals
    from month_deals
    group by grouping sets ((group_name), ())
),

fact_cells as (
    select
        case $by when 'department' then department when 'manager' then manager end as group_name,
        grouping(group_name) = 1 as is_total,
        sum(case $measure when 'margin' then coalesce(margin, 0::decimal(18, 2)) else amount end) as fact_to_date
    from month_sales
    group by grouping sets ((group_name), ())
),

-- Same plan rule as the forecast: a group's plan is the rows naming it; the total every row.
-- No plan on margin.
plan_cells as (
    select
        case $by when 'department' then department when 'manager' then manager end as group_name,
        grouping(group_name) = 1 as is_total,
        sum(plan_amount) as plan
    from month_plan
    where $measure = 'amount'
    group by grouping sets ((group_name), ())
),

groups as (
    select group_name, is_total from deal_cells
    union
    select group_name, is_total from fact_cells
    union
    select group_name, is_total from plan_cells
    union
    -- the total always has its row, also in a month with nothing in it yet
    select null as group_name, true as is_total
),

final as (
    select
        g.group_name,
        g.is_total,
        date_trunc('month', $snapshot::date)::date as month,
        coalesce(f.fact_to_date, 0)::decimal(38, 2) as fact_to_date,
        coalesce(d.weighted_open, 0)::decimal(38, 2) as weighted_open,
        coalesce(d.deals, 0) as deals,
        (coalesce(f.fact_to_date, 0) + coalesce(d.weighted_open, 0))::decimal(38, 2) as landing,
        -- plan rows that name no department (manager) are part of no group's plan, only the total's
        case when g.is_total or g.group_name is not null then p.plan end as plan
    from groups as g
    left join deal_cells as d on d.is_total = g.is_total and d.group_name is not distinct from g.group_name
    left join fact_cells as f on f.is_total = g.is_total and f.group_name is not distinct from g.group_name
    left join plan_cells as p on p.is_total = g.is_total and p.group_name is not distinct from g.group_name
    -- grouping by "all" has only the total
    where g.is_total or $by <> 'all'
    order by g.is_total, g.group_name nulls last
)

select * from final
