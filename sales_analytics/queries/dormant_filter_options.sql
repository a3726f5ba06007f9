-- The managers and departments of the sales (labelled $no_manager / $no_department when some sales
-- have none): what the clients page offers as filters. On sales_by_day (current_sales per day,
-- department and manager).
with managers as (
    select distinct manager from sales_by_day where manager is not null
    union all
    select $no_manager where exists (select 1 from sales_by_day where manager is null)
),

departments as (
    select distinct department from sales_by_day where department is not null
    union all
    select $no_department where exists (select 1 from sales_by_day where department is null)
),

final as (
    select 'manager' as kind, manager as name from managers
    union all
    select 'department' as kind, department as name from departments
)

select * from final
