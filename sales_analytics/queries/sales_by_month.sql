-- Net sales per group and calendar month: returns (negative amounts) count as such.
-- $by: department | manager | client | all. $date_from / $date_to: inclusive, NULL for open.
-- Summed per key first and named after: the client names are joined to the few summed rows, not to
-- every sale (and only when grouping by client). Clients sharing a name are one group, as shown.
with sales as (
    select * from current_sales
    where ($date_from is null or sale_date >= $date_from)
      and ($date_to is null or sale_date <= $date_to)
),

clients as (
    select client_key, display_name from clients
),

keyed as (
    select
        case $by
            when 'department' then department
            when 'manager' then manager
            when 'client' then client_key
            else 'all'
        end as group_key,
        date_trunc('month', sale_date)::date as month,
        sum(amount) as amount,
        sum(margin) as margin,
        count(*) as rows
    from sales
    group by all
),

named as (
    select
        case when $by = 'client' then c.display_name else k.group_key end as group_name,
        k.month,
        k.amount,
        k.margin,
        k.rows
    from keyed as k
    left join clients as c on $by = 'client' and c.client_key = k.group_key
),

final as (
    select
        group_name,
        month,
        sum(amount) as amount,
        sum(margin) as margin,
        sum(rows)::bigint as rows
    from named
    group by all
    order by group_name nulls last, month
)

select * from final
