-- The forecast of one snapshot: per group and month of the horizon, the weighted and unweighted sums
-- and the count of open deals expected in that month, with the group's plan for the month.
-- Overdue open deals (expected before the horizon's first month) come as one row per group with
-- place = 'overdue'; open deals with no expected month as place = 'undated'. Nothing is dropped.
-- plan_total is the whole company's plan of the month (every plan row), the same on each group's row.
-- $snapshot: the snapshot date; $first_month / $last_month: the horizon (first days of months);
-- $by: department | manager | all; $measure: amount | margin (a missing margin counts as 0).
-- A deal's weighted value is value x probability rounded to the kopeck, so every total on every page
-- is a sum of the same kopeck amounts.
with open_deals as (
    select department, manager, amount, margin, probability, expected_month
    from current_deals
    where snapshot_date = $snapshot and status = 'open'
),

plan as (
    select month, department, manager, plan_amount
    from current_plan
    where month between $first_month and $last_month
),

horizon as (
    select unnest(generate_series($first_month::date, $last_month::date, interval 1 month))::date as month
),

valued as (
    select
        case $by when 'department' then department when 'manager' then manager else 'all' end as group_name,
        expected_month,
        case $measure when 'margin' then coalesce(margin, 0::decimal(18, 2)) else amount end as value,
        round(value * probability, 2) as weighted,
        case
            when expected_month is null then 'undated'
            when expected_month < $first_month then 'overdue'
            when expected_month <= $last_month then 'month'
            else 'beyond'
        end as place
    from open_deals
),

month_cells as (
    select group_name, expected_month as month, sum(weighted) as weighted, sum(value) as unweighted, count(*) as deals
    from valued
    where place = 'month'
    group by all
),

apart_cells as (
    select group_name, place, sum(weighted) as weighted, sum(value) as unweighted, count(*) as deals
    from valued
    where place in ('overdue', 'undated')
    group by all
),

-- A department's plan is the sum of the plan rows naming that department, a manager's of those
-- naming the manager; the total is every plan row of the month. No plan on margin.
plan_cells as (
    select
        case $by when 'department' then department when 'manager' then manager else 'all' end as group_name,
        month,
        sum(plan_amount) as plan
    from plan
    where $measure = 'amount'
      and ($by = 'all' or ($by = 'department' and department is not null) or ($by = 'manager' and manager is not null))
    group by all
),

plan_totals as (
    select month, sum(plan_amount) as plan_total
    from plan
    where $measure = 'amount'
    group by month
),

groups as (
    select group_name from month_cells
    union
    select group_name from apart_cells
    union
    select group_name from plan_cells
),

grid as (
    select
        g.group_name,
        'month' as place,
        h.month,
        coalesce(m.weighted, 0) as weighted,
        coalesce(m.unweighted, 0) as unweighted,
        coalesce(m.deals, 0) as deals,
        p.plan,
        t.plan_total
    from groups as g
    cross join horizon as h
    left join month_cells as m on m.group_name is not distinct from g.group_name and m.month = h.month
    left join plan_cells as p on p.group_name is not distinct from g.group_name and p.month = h.month
    left join plan_totals as t on t.month = h.month
),

final as (
    select group_name, place, month, weighted, unweighted, deals, plan, plan_total from grid
    union all
    select group_name, place, null as month, weighted, unweighted, deals, null as plan, null as plan_total
    from apart_cells
    order by
        group_name nulls last,
        case place when 'month' then 0 when 'overdue' then 1 else 2 end,
        month
)

select * from final
