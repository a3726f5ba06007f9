-- The managers and departments of the sales (labelled $no_manager / $no_department when some sales
-- have none): what the clients page offers as filters. Runs on the client store.
with managers as (
    select manager from manager_names
    union all
    select $no_manager where exists (select 1 from client_sales where manager_id = 0)
),

departments as (
    select department from department_names
    union all
    select $no_department where exists (select 1 from client_sales where department_id = 0)
),

final as (
    select 'manager' as kind, manager as name from managers
    union all
    select 'department' as kind, department as name from departments
)

select * from final
