-- The current sales per client and calendar month, of the days in ($after, $through] (NULL: no
-- bound). The client store copies every month of them once per data version (reports/clients.py,
-- "the client store"); a window whose day boundary cuts a month adds that part ($part: which part
-- of the window it is) from here too (window_months).
--   net:             the month's net amount (returns subtract); margin: its summed margin (NULL when
--                    no row carries one);
--   last_purchase:   the month's latest day with a positive amount (NULL: none);
--   last_manager, last_department: those of that purchase (on the same day, the later upload's
--                    later row), NULL when the row has none.
with sales as (
    select client_key, sale_date, amount, margin, manager, department, batch_id, source_row
    from current_sales
    where ($after is null or sale_date > $after) and ($through is null or sale_date <= $through)
),

final as (
    select
        client_key,
        date_trunc('month', sale_date)::date as month,
        $part::integer as part,
        sum(amount)::decimal(38, 2) as net,
        sum(margin)::decimal(38, 2) as margin,
        max(sale_date) filter (where amount > 0) as last_purchase,
        arg_max_null(manager, (sale_date, batch_id, source_row)) filter (where amount > 0) as last_manager,
        arg_max_null(department, (sale_date, batch_id, source_row)) filter (where amount > 0)
            as last_department
    from sales
    group by client_key, month
)

select * from final
