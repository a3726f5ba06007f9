-- The client months the client store copies (see reports/clients.py, "the client store"): the
-- current sales per client and calendar month, built once per data version.
--   net:             the month's net amount (returns subtract); margin: its summed margin (NULL when
--                    no row carries one);
--   last_purchase:   the month's latest day with a positive amount (NULL: none);
--   last_manager, last_department: those of that purchase (on the same day, the later upload's
--                    later row), NULL when the row has none.
with sales as (
    select client_key, sale_date, amount, margin, manager, department, batch_id, source_row
    from current_sales
),

final as (
    select
        client_key,
        date_trunc('month', sale_date)::date as month,
        sum(amount) as net,
        sum(margin) as margin,
        max(sale_date) filter (where amount > 0) as last_purchase,
        arg_max_null(manager, (sale_date, batch_id, source_row)) filter (where amount > 0) as last_manager,
        arg_max_null(department, (sale_date, batch_id, source_row)) filter (where amount > 0)
            as last_department
    from sales
    group by client_key, month
)

select * from final
