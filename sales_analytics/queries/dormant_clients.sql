-- Dormant clients as of $as_of (SPEC "Dormant clients"): last purchase (the latest day with a
-- positive amount) before $quiet_since = add_months(as_of, -N), and a positive net turnover over the
-- lookback window (add_months(as_of, -L), as_of] = ($lookback_after, $as_of].
-- Runs on the client store (reports/clients.py): client_sales is current_sales with integer ids.
-- Sales after $as_of do not exist yet for this question. Only the lookback window is read: a client
-- whose last purchase is older has no purchase in it, so no positive turnover, and is not dormant.
--   $min_avg_month: keep clients whose average per active month is at least this (NULL: all);
--   $min_per_year: keep clients whose lookback turnover per twelve months (turnover × 12 / L,
--                  $lookback_months = L) is at least this (NULL: all);
--   $managers / $departments: keep these labels only (NULL: all); $no_manager / $no_department
--                  label the sales without one.
-- Manager and department are those of the client's latest purchase (on the same day, the later
-- upload's later row). Active months are the lookback's months with a net positive amount; the
-- average per active month is rounded half up to the kopeck, divided in whole kopecks (DuckDB
-- divides DECIMAL in floating point, which is not exact).
-- The first pass over the window keeps only what picks the dormant clients; the rest is read from
-- those clients' rows alone.
with per_client as (
    select
        client_id,
        max(sale_date) filter (where amount > 0) as last_purchase,
        sum(amount) as lookback_turnover
    from client_sales
    where sale_date > $lookback_after and sale_date <= $as_of
    group by client_id
),

dormant as (
    select * from per_client where last_purchase < $quiet_since and lookback_turnover > 0
),

dormant_sales as (
    select s.*
    from client_sales as s
    semi join dormant as d using (client_id)
    where s.sale_date > $lookback_after and s.sale_date <= $as_of
),

month_totals as (
    select client_id, date_trunc('month', sale_date) as month, sum(amount) as net, sum(margin) as margin
    from dormant_sales
    group by client_id, month
),

months as (
    select
        client_id,
        -- a month of only returns is no buying month
        count(*) filter (where net > 0) as active_months,
        sum(margin) as margin
    from month_totals
    group by client_id
),

latest_purchase as (
    select
        s.client_id,
        arg_max(s.manager_id, s.row_order) as manager_id,
        arg_max(s.department_id, s.row_order) as department_id
    from dormant_sales as s
    join dormant as d on s.client_id = d.client_id and s.sale_date = d.last_purchase
    where s.amount > 0
    group by s.client_id
),

labelled as (
    select
        c.display_name as client,
        coalesce(m.manager, $no_manager) as manager,
        coalesce(n.department, $no_department) as department,
        d.last_purchase,
        ($as_of - d.last_purchase)::integer as days_since,
        d.lookback_turnover,
        a.active_months,
        -- round(k / n) half up = (2k + n) // 2n, in integer kopecks (turnover > 0, so n >= 1)
        (((d.lookback_turnover * 100)::hugeint * 2 + a.active_months) // (2 * a.active_months))::decimal(38, 0)
            * 0.01 as avg_month,
        a.margin
    from dormant as d
    join months as a using (client_id)
    join latest_purchase as p using (client_id)
    join client_names as c using (client_id)
    left join manager_names as m on m.manager_id = p.manager_id
    left join department_names as n on n.department_id = p.department_id
),

final as (
    select * replace (avg_month::decimal(18, 2) as avg_month)
    from labelled
    -- average per active month >= minimum, multiplied out so that it stays exact
    where ($min_avg_month is null or lookback_turnover >= $min_avg_month * active_months)
      and ($min_per_year is null or lookback_turnover * 12 >= $min_per_year * $lookback_months)
      and ($managers is null or list_contains($managers, manager))
      and ($departments is null or list_contains($departments, department))
    order by lookback_turnover desc, client
)

select * from final
