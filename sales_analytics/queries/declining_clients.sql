-- Declining clients as of $as_of (SPEC "Dormant clients", "Declining"): still buying (last purchase
-- on or after $quiet_since = add_months(as_of, -N)), with
--   previous = net turnover in (add_months(as_of, -R-12), add_months(as_of, -R)] = ($previous_after, $recent_after],
--   recent   = net turnover in (add_months(as_of, -R), as_of]                    = ($recent_after, $as_of],
-- declining when previous > 0 and recent < (1 - $drop) × previous × R / 12 ($recent_months = R).
-- Runs on the client store (reports/clients.py): client_sales is current_sales with integer ids.
-- previous_average = previous × R / 12, rounded half up to the kopeck (divided in whole kopecks:
-- DuckDB divides DECIMAL in floating point); change = recent_turnover - previous_average; the
-- largest fall first.
--   $min_avg_month: keep clients whose previous turnover per active month is at least this;
--   $min_per_year: keep clients whose previous twelve months' turnover is at least this;
--   $managers / $departments, $no_manager / $no_department: as in dormant_clients.sql.
-- Manager and department are those of the client's latest purchase, which for a client still
-- buying is on or after $quiet_since: only ($scan_after, $as_of] is read, the union of the windows
-- and of the days since $quiet_since. The margin is the previous twelve months'.
with per_client as (
    select
        client_id,
        max(sale_date) filter (where amount > 0) as last_purchase,
        coalesce(sum(amount) filter (where sale_date > $previous_after and sale_date <= $recent_after), 0)
            as previous_turnover,
        coalesce(sum(amount) filter (where sale_date > $recent_after), 0) as recent_turnover
    from client_sales
    where sale_date > $scan_after and sale_date <= $as_of
    group by client_id
),

declining as (
    select *
    from per_client
    where last_purchase >= $quiet_since
      and previous_turnover > 0
      -- recent < (1 - drop) × previous × R / 12, multiplied out by 12 so that it stays exact
      and recent_turnover * 12 < (1 - $drop) * previous_turnover * $recent_months
      and ($min_per_year is null or previous_turnover >= $min_per_year)
),

declining_sales as (
    select s.*
    from client_sales as s
    semi join declining as d using (client_id)
    where s.sale_date > $scan_after and s.sale_date <= $as_of
),

previous_months as (
    select client_id, date_trunc('month', sale_date) as month, sum(amount) as net, sum(margin) as margin
    from declining_sales
    where sale_date > $previous_after and sale_date <= $recent_after
    group by client_id, month
),

previous as (
    select client_id, count(*) filter (where net > 0) as active_months, sum(margin) as margin
    from previous_months
    group by client_id
),

latest_purchase as (
    select
        s.client_id,
        arg_max(s.manager_id, s.row_order) as manager_id,
        arg_max(s.department_id, s.row_order) as department_id
    from declining_sales as s
    join declining as d on s.client_id = d.client_id and s.sale_date = d.last_purchase
    where s.amount > 0
    group by s.client_id
),

labelled as (
    select
        c.display_name as client,
        coalesce(m.manager, $no_manager) as manager,
        coalesce(n.department, $no_department) as department,
        d.recent_turnover,
        -- round(k × R / 12) half up = (2kR + 12) // 24, in integer kopecks (previous > 0)
        (((d.previous_turnover * $recent_months * 100)::hugeint * 2 + 12) // 24)::decimal(38, 0) * 0.01
            as previous_average,
        d.previous_turnover,
        v.active_months,
        d.last_purchase,
        ($as_of - d.last_purchase)::integer as days_since,
        v.margin
    from declining as d
    join previous as v using (client_id)
    join latest_purchase as p using (client_id)
    join client_names as c using (client_id)
    left join manager_names as m on m.manager_id = p.manager_id
    left join department_names as n on n.department_id = p.department_id
),

final as (
    select
        client,
        manager,
        department,
        recent_turnover,
        previous_average::decimal(18, 2) as previous_average,
        (recent_turnover - previous_average)::decimal(18, 2) as change,
        previous_turnover,
        last_purchase,
        days_since,
        margin
    from labelled
    where ($min_avg_month is null or previous_turnover >= $min_avg_month * active_months)
      and ($managers is null or list_contains($managers, manager))
      and ($departments is null or list_contains($departments, department))
    order by change, client
)

select * from final
