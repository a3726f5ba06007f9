-- The client months the client store copies (see reports/clients.py, "the client store"): the
-- current sales per client and calendar month (client_months, rebuilt at every import and delete by
-- ingest/derived.py).
with months as (
    select client_key, month, net, margin, last_purchase, last_manager, last_department
    from client_months
),

final as (
    select * from months
)

select * from final
