-- The current sales of ($after, $through], a part of one calendar month, per client, in the shape
-- of the client store's client_months (client_store_months.sql): what the store adds for a month
-- that a window's day boundary cuts (reports/clients.py, window_months). $part: which part of the
-- window it is. The manager and department are those of the latest purchase (the later upload's
-- later row on the same day).
with sales as (
    select client_key, sale_date, amount, margin, manager, department, batch_id, source_row
    from current_sales
    where sale_date > $after and sale_date <= $through
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
