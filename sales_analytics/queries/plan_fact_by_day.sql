-- Net sales per day of month $month up to $as_of, and the month's plan, for one group or all:
-- $group NULL is every group, else the group's label ($no_group for the rows without one).
-- $by: 'department' | 'manager'. On sales_by_day (current_sales per day, department and manager).
with daily as (
    select sale_date as day, sum(amount) as fact
    from sales_by_day
    where sale_date between $month and $as_of
      and (
          $group is null
          or coalesce(case $by when 'department' then department else manager end, $no_group) = $group
      )
    group by sale_date
),

month_plan as (
    select sum(plan_amount) as plan
    from current_plan
    where month = $month
      and (
          $group is null
          or coalesce(case $by when 'department' then department else manager end, $no_group) = $group
      )
),

final as (
    select daily.day, daily.fact, month_plan.plan
    from month_plan
    left join daily on true
    order by daily.day
)

select * from final
