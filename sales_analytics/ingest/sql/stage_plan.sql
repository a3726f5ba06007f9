-- Plan rows, typed: long (a month column and a plan column) or wide (one column per month,
-- unpivoted into sa_plan_cells by the caller). An empty month cell is no plan, not a zero plan.
CREATE OR REPLACE TABLE sa_staged AS
with cells as (
    select * from sa_plan_cells
),

final as (
    select
        sheet_index,
        sheet,
        row_no,
        coalesce(month_fixed, sa_month(month_raw, $year)) as month,
        coalesce(sa_text(department_raw), sa_text(heading_department)) as department,
        coalesce(sa_text(manager_raw), sa_text(heading_manager)) as manager,
        sa_money(plan_raw) as plan_amount,
        plan_column,
        month_raw,
        plan_raw
    from cells
    where sa_text(plan_raw) is not null
)

select * from final
