-- Clients written in more than one way, merged under one key (SPEC.md "Client identity"): per key,
-- the name shown and each spelling with the rows that use it, in the current sales and deals (the
-- rows the client list is built from). Keys touched by one batch ($batch_id) or all (NULL).
with spellings as (
    select client_key, client_name, batch_id, 'sales' as source from current_sales
    union all
    select client_key, client_name, batch_id, 'deals' as source from deals where superseded_by is null
),

respelled as (
    select client_key from spellings group by client_key having count(distinct client_name) > 1
),

in_batch as (
    select distinct client_key from sales where batch_id = $batch_id
    union
    select distinct client_key from deals where batch_id = $batch_id
),

final as (
    select
        s.client_key,
        c.display_name,
        s.client_name as spelling,
        count(*) filter (where s.source = 'sales') as sales_rows,
        count(*) filter (where s.source = 'deals') as deal_rows
    from spellings as s
    semi join respelled using (client_key)
    join clients as c using (client_key)
    where $batch_id is null or s.client_key in (select client_key from in_batch)
    group by all
    order by c.display_name, s.client_key, sales_rows + deal_rows desc, spelling
)

select * from final
