-- Net sales per day of month $month up to $as_of, and the month's plan, for one group or all:
-- $group NULL is every group, else the group's label ($no_group for the rows without one).
-- $by: 'department' | 'manager'. Runs on the sales store (reports/clients.py).
with group_names as (
    select department_id as group_id, department as group_name from department_names where $by = 'department'
    union all
    select manager_id as group_id, manager as group_name from manager_names where $by = 'manager'
),

daily as (
    select s.sale_date as day, sum(s.amount) as fact
    from client_sales as s
    left join group_names as n
        on n.group_id = case $by when 'department' then s.department_id else s.manager_id end
    where s.sale_date between $month and $as_of
      and ($group is null or coalesce(n.group_name, $no_group) = $group)
    group by s.sale_date
),

month_plan as (
    select sum(plan_amount) as plan
    from plan_rows
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
