-- The sales per day, department and manager (net, returns subtract): what plan/fact reads instead of
-- every sale (ingest/derived.py keeps it as the table sales_by_day; a few tens of thousands of rows
-- for ten million sales). A missing department or manager stays NULL.
with sales as (
    select sale_date, department, manager, amount from current_sales
),

final as (
    select sale_date, department, manager, sum(amount) as amount, count(*) as sales_rows
    from sales
    group by sale_date, department, manager
)

select * from final
