-- Net sales per group and calendar month: returns (negative amounts) count as such.
-- $by: department | manager | client | all. $date_from / $date_to: inclusive, NULL for open.
with sales as (
    select * from current_sales
    where ($date_from is null or sale_date >= $date_from)
      and ($date_to is null or sale_date <= $date_to)
),

clients as (
    select client_key, display_name from clients
),

grouped as (
    select
        case $by
            when 'department' then s.department
            when 'manager' then s.manager
            when 'client' then c.display_name
            else 'all'
        end as group_name,
        date_trunc('month', s.sale_date)::date as month,
        s.amount,
        s.margin
    from sales as s
    left join clients as c using (client_key)
),

final as (
    select
        group_name,
        month,
        sum(amount) as amount,
        sum(margin) as margin,
        count(*) as rows
    from grouped
    group by all
    order by group_name nulls last, month
)

select * from final
