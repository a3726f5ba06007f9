-- The sales the client store copies (see reports/clients.py, "the client store"): every current
-- sale, with what the client figures read.
with sales as (
    select client_key, sale_date, amount, margin, manager, department, batch_id, source_row
    from current_sales
),

final as (
    select * from sales
)

select * from final
