-- Plan and fact per group and calendar month, $year_start to $through (first days of months), for
-- the attainment heatmap ($through_end: the last sales day counted); then a TOTAL row per month
-- summing the groups. Same grouping rules as plan_fact_by_group.sql ($by, $no_group), on sales_by_day
-- and current_plan. Months with neither plan nor fact are absent.
with facts as (
    select
        case $by when 'department' then department else manager end as group_name,
        date_trunc('month', sale_date)::date as month,
        sum(amount) as fact
    from sales_by_day
    where sale_date between $year_start and $through_end
    group by group_name, month
),

plans as (
    select
        case $by when 'department' then department else manager end as group_name,
        month,
        sum(plan_amount) as plan
    from current_plan
    where month between $year_start and $through
    group by group_name, month
),

figures as (
    select f.group_name, f.month, null::decimal(38, 2) as plan, f.fact
    from facts as f
    union all
    select group_name, month, plan, null from plans
),

by_group as (
    select group_name, month, sum(plan) as plan, coalesce(sum(fact), 0) as fact
    from figures
    group by group_name, month
),

with_total as (
    select 0 as is_total, * from by_group
    union all
    select 1 as is_total, null as group_name, month, sum(plan), sum(fact)
    from by_group
    group by month
),

final as (
    select
        case when is_total = 1 then 'TOTAL' else coalesce(group_name, $no_group) end as "group",
        month,
        plan,
        fact,
        (fact / nullif(plan, 0))::decimal(18, 4) as attainment
    from with_total
    order by is_total, group_name is null, group_name, month
)

select * from final
