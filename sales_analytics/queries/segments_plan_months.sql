-- The months a plan can be built for, newest first: from the month after the first sale (some
-- history to build on) to the later of the month after the last sale and the last plan month.
with sales_span as (
    select
        date_trunc('month', min(sale_date))::date as first_month,
        date_trunc('month', max(sale_date))::date as last_month
    from current_sales
),

plan_span as (
    select max(month) as last_plan_month from current_plan
),

final as (
    select unnest(
        generate_series(
            first_month + interval 1 month,
            greatest(last_month + interval 1 month, coalesce(last_plan_month, last_month)),
            interval 1 month
        )
    )::date as month
    from sales_span, plan_span
    where first_month is not null
    order by month desc
)

select * from final
