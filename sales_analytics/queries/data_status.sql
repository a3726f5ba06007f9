-- What the database holds: one row.
with sales_span as (
    select count(*) as sales_rows, min(sale_date) as first_sale, max(sale_date) as last_sale
    from current_sales
),

snapshots as (
    select count(distinct snapshot_date) as snapshots, max(snapshot_date) as last_snapshot
    from current_deals
),

plan_months as (
    select count(distinct month) as plan_months from current_plan
),

batches as (
    select count(*) as batches, count(*) filter (where is_demo) as demo_batches
    from import_batches
    where deleted_at is null
),

final as (
    select * from sales_span, snapshots, plan_months, batches
)

select * from final
