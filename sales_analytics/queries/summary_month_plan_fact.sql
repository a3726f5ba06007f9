-- This month's plan and fact to date per department, for the overview's cards (reports/summary.py):
-- the month's part of plan_fact_by_group (by department), read from the month's own rows, so that
-- the first card does not wait for the client store. The same rules: a department's plan is the
-- plan rows naming it, its fact the net sales dated in the month up to $fact_to under each sales
-- row's own department; rows without a department are one group (NULL). Every department with a
-- plan row or a sale in the month is listed; fact is 0 without sales, plan NULL without plan rows.
--   $month: the month's first day; $fact_to: the last sales day counted.
with month_sales as (
    select department, amount from current_sales where sale_date between $month and $fact_to
),

month_plan as (
    select department, plan_amount from current_plan where month = $month
),

facts as (
    select department, sum(amount) as fact from month_sales group by department
),

plans as (
    select department, sum(plan_amount) as plan from month_plan group by department
),

figures as (
    select department, null::decimal(38, 2) as plan, fact from facts
    union all
    select department, plan, null from plans
),

final as (
    select department, sum(plan) as plan, coalesce(sum(fact), 0) as fact
    from figures
    group by department
    order by department is null, department
)

select * from final
