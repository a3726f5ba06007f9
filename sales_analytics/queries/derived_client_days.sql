-- The sales per client and day (ingest/derived.py keeps it as the table client_days, in day order):
-- what a client window reads for a month its first or last day cuts (client_window_sales.sql).
--   net, margin: the day's net amount and summed margin (NULL when no row carries one);
--   bought: some row of the day has a positive amount (a purchase);
--   last_manager, last_department: those of the day's latest purchase (the later upload's later
--   row), NULL when the row has none.
with sales as (
    select client_key, sale_date, amount, margin, manager, department, batch_id, source_row
    from current_sales
),

final as (
    select
        sale_date,
        client_key,
        sum(amount) as net,
        sum(margin) as margin,
        bool_or(amount > 0) as bought,
        arg_max_null(manager, (batch_id, source_row)) filter (where amount > 0) as last_manager,
        arg_max_null(department, (batch_id, source_row)) filter (where amount > 0) as last_department
    from sales
    group by sale_date, client_key
)

select * from final
