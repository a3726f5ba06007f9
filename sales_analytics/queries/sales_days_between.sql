-- Whether any current sale is dated in [$first, $last] (sales_by_day: current_sales per day): a
-- window that cuts a month reads that month's sales only when the part left out holds some.
with days as (
    select sale_date from sales_by_day where sale_date between $first and $last
),

final as (
    select count(*) > 0 as any_sales from days
)

select * from final
