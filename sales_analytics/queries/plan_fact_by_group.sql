-- Plan and fact per group (department or manager) for month $month, the year to date, and the same
-- periods a year earlier. SPEC "Plan / fact". Facts come from sales_by_day (current_sales summed per
-- day, department and manager; ingest/derived.py), plans from current_plan.
--   $by: 'department' | 'manager'. A department's plan is the plan rows with that department, a
--        manager's the rows with that manager; fact follows each sales row's own department or
--        manager, so a manager who moved leaves the history with the old department.
--   $month / $year_start: first days of M and of M's January; $fact_to: the last sales day counted
--        (M's last day, or the as-of day of a month in progress). $month_last_year,
--        $year_start_last_year, $fact_to_last_year: the same a year earlier.
--   $no_group: the label of sales or plan rows without a department / manager.
-- Every group that has a figure in any column is listed (fact without plan, plan without fact),
-- then one TOTAL row that sums the groups. Facts are 0 without sales; plans NULL without plan rows.
with facts as (
    select
        case $by when 'department' then department else manager end as group_name,
        sum(amount) filter (where sale_date between $month and $fact_to) as fact,
        sum(amount) filter (where sale_date between $month_last_year and $fact_to_last_year) as fact_last_year,
        sum(amount) filter (where sale_date between $year_start and $fact_to) as ytd_fact,
        sum(amount) filter (where sale_date between $year_start_last_year and $fact_to_last_year)
            as ytd_fact_last_year
    from sales_by_day
    where sale_date between $year_start and $fact_to
       or sale_date between $year_start_last_year and $fact_to_last_year
    group by group_name
),

plans as (
    select
        case $by when 'department' then department else manager end as group_name,
        sum(plan_amount) filter (where month = $month) as plan,
        sum(plan_amount) as ytd_plan
    from current_plan
    where month between $year_start and $month
    group by group_name
),

-- facts and plans in one stream, so that a group without a name meets its own kind (a join on
-- NULL keys would never match)
figures as (
    select
        f.group_name,
        null::decimal(38, 2) as plan,
        null::decimal(38, 2) as ytd_plan,
        f.fact,
        f.fact_last_year,
        f.ytd_fact,
        f.ytd_fact_last_year
    from facts as f
    union all
    select group_name, plan, ytd_plan, null, null, null, null from plans
),

by_group as (
    select
        group_name,
        sum(plan) as plan,
        coalesce(sum(fact), 0) as fact,
        coalesce(sum(fact_last_year), 0) as fact_last_year,
        sum(ytd_plan) as ytd_plan,
        coalesce(sum(ytd_fact), 0) as ytd_fact,
        coalesce(sum(ytd_fact_last_year), 0) as ytd_fact_last_year
    from figures
    group by group_name
),

with_total as (
    select 0 as is_total, * from by_group
    union all
    select
        1 as is_total,
        null as group_name,
        sum(plan),
        sum(fact),
        sum(fact_last_year),
        sum(ytd_plan),
        sum(ytd_fact),
        sum(ytd_fact_last_year)
    from by_group
    having count(*) > 0
),

final as (
    select
        case when is_total = 1 then 'TOTAL' else coalesce(group_name, $no_group) end as "group",
        plan,
        fact,
        (fact / nullif(plan, 0))::decimal(18, 4) as attainment,
        -- a group without a plan deviates by its whole fact, so deviations add up to the total's
        fact - coalesce(plan, 0) as deviation,
        fact_last_year,
        -- growth only against a positive base: a change of sign is no percentage
        case when fact_last_year > 0 then (fact / fact_last_year - 1)::decimal(18, 4) end as growth,
        ytd_plan,
        ytd_fact,
        (ytd_fact / nullif(ytd_plan, 0))::decimal(18, 4) as ytd_attainment,
        ytd_fact_last_year,
        case when ytd_fact_last_year > 0 then (ytd_fact / ytd_fact_last_year - 1)::decimal(18, 4) end
            as ytd_growth
    from with_total
    order by is_total, group_name is null, group_name
)

select * from final
