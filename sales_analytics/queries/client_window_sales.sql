-- The current sales of ($after, $through], a part of one calendar month, per client, in the shape
-- of client_months (ingest/derived.py): what the client store adds for a month that a window's day
-- boundary cuts (reports/clients.py, window_months). $part: which part of the window it is. Read
-- from client_days (the sales per client and day, in day order: the range reads its own blocks).
with days as (
    select sale_date, client_key, net, margin, bought, last_manager, last_department
    from client_days
    where sale_date > $after and sale_date <= $through
),

final as (
    select
        client_key,
        date_trunc('month', sale_date)::date as month,
        $part::integer as part,
        sum(net)::decimal(38, 2) as net,
        sum(margin)::decimal(38, 2) as margin,
        max(sale_date) filter (where bought) as last_purchase,
        arg_max_null(last_manager, sale_date) filter (where bought) as last_manager,
        arg_max_null(last_department, sale_date) filter (where bought) as last_department
    from days
    group by client_key, month
)

select * from final
