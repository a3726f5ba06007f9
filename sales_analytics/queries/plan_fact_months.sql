-- The calendar months the plan/fact page offers, newest first: every month from the first to the
-- last that holds sales or plan (from the ends only: a min and a max are cheap, a distinct list of
-- a million sales' months is not; a quiet month in between is still a month to look at). On
-- sales_by_day (current_sales per day) and current_plan.
with sales_span as (
    select min(sale_date) as first_day, max(sale_date) as last_day from sales_by_day
),

plan_span as (
    select min(month) as first_day, max(month) as last_day from current_plan
),

span as (
    select
        date_trunc('month', least(s.first_day, p.first_day))::date as first_month,
        date_trunc('month', greatest(s.last_day, p.last_day))::date as last_month
    from sales_span as s, plan_span as p
),

final as (
    select unnest(generate_series(first_month, last_month, interval 1 month))::date as month
    from span
    where first_month is not null
    order by month desc
)

select * from final
