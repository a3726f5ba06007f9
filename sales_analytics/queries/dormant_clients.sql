-- Dormant clients as of $as_of (SPEC "Dormant clients"): last purchase (the latest day with a
-- positive amount) before $quiet_since = add_months(as_of, -N), and a positive net turnover over the
-- lookback window (add_months(as_of, -L), as_of] = ($lookback_after, $as_of].
-- Runs on the client store (reports/clients.py), over the window's sales per client and month:
-- client_months for the months wholly inside the window (window_agg_parts: those months), and the
-- current sales of a month the window's first or last day cuts, summed the same way (window_raw,
-- queries/client_month_sales.sql). Sales after $as_of do not exist yet for this question. Only the
-- lookback window is read: a client whose last purchase is older has no purchase in it, so no
-- positive turnover, and is not dormant.
--   $min_avg_month: keep clients whose average per active month is at least this (NULL: all);
--   $min_per_year: keep clients whose lookback turnover per twelve months (turnover × 12 / L,
--                  $lookback_months = L) is at least this (NULL: all);
--   $managers / $departments: keep these labels only (NULL: all); $no_manager / $no_department
--                  label the sales without one.
-- Manager and department are those of the client's latest purchase (on the same day, the later
-- upload's later row). Active months are the lookback's months with a net positive amount; the
-- average per active month is rounded half up to the kopeck, divided in whole kopecks (DuckDB
-- divides DECIMAL in floating point, which is not exact).
with window_months as (
    select m.client_id, m.month, m.net, m.margin, m.last_purchase, m.last_manager, m.last_department
    from client_months as m
    join window_agg_parts as p using (month)
    union all
    select c.client_id, r.month, r.net, r.margin, r.last_purchase, r.last_manager, r.last_department
    from window_raw as r
    join client_names as c using (client_key)
),

per_client as (
    select
        client_id,
        max(last_purchase) as last_purchase,
        sum(net) as lookback_turnover,
        -- a month of only returns is no buying month
        count(*) filter (where net > 0) as active_months,
        sum(margin) as margin,
        -- the latest purchase's month holds whose it was
        arg_max_null(last_manager, last_purchase) filter (where last_purchase is not null) as manager,
        arg_max_null(last_department, last_purchase) filter (where last_purchase is not null) as department
    from window_months
    group by client_id
),

dormant as (
    select * from per_client where last_purchase < $quiet_since and lookback_turnover > 0
),

labelled as (
    select
        c.display_name as client,
        coalesce(d.manager, $no_manager) as manager,
        coalesce(d.department, $no_department) as department,
        d.last_purchase,
        ($as_of - d.last_purchase)::integer as days_since,
        d.lookback_turnover,
        d.active_months,
        -- round(k / n) half up = (2k + n) // 2n, in integer kopecks (turnover > 0, so n >= 1)
        (((d.lookback_turnover * 100)::hugeint * 2 + d.active_months) // (2 * d.active_months))::decimal(38, 0)
            * 0.01 as avg_month,
        d.margin
    from dormant as d
    join client_names as c using (client_id)
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
