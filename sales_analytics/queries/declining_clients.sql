-- Declining clients as of $as_of (SPEC "Dormant clients", "Declining"): still buying (last purchase
-- on or after $quiet_since = add_months(as_of, -N)), with
--   previous = net turnover in (add_months(as_of, -R-12), add_months(as_of, -R)] = ($previous_after, $recent_after],
--   recent   = net turnover in (add_months(as_of, -R), as_of]                    = ($recent_after, $as_of],
-- declining when previous > 0 and recent < (1 - $drop) × previous × R / 12 ($recent_months = R).
-- Runs on the client store (reports/clients.py), over declining_window: the window summed per
-- client (queries/declining_per_client.sql, kept per window).
-- previous_average = previous × R / 12, rounded half up to the kopeck (divided in whole kopecks:
-- DuckDB divides DECIMAL in floating point); change = recent_turnover - previous_average; the
-- largest fall first.
--   $min_avg_month: keep clients whose previous turnover per active month is at least this;
--   $min_per_year: keep clients whose previous twelve months' turnover is at least this;
--   $managers / $departments, $no_manager / $no_department: as in dormant_clients.sql.
-- Manager and department are those of the client's latest purchase, which for a client still
-- buying is on or after $quiet_since: only ($scan_after, $as_of] is read, the union of the windows
-- and of the days since $quiet_since. The margin is the previous twelve months'. Active months (for
-- the minimum size per month) are the previous window's months with a net positive amount.
with per_client as (
    select * from declining_window
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

labelled as (
    select
        c.display_name as client,
        coalesce(d.manager, $no_manager) as manager,
        coalesce(d.department, $no_department) as department,
        d.recent_turnover,
        -- round(k × R / 12) half up = (2kR + 12) // 24, in integer kopecks (previous > 0)
        (((d.previous_turnover * $recent_months * 100)::hugeint * 2 + 12) // 24)::decimal(38, 0) * 0.01
            as previous_average,
        d.previous_turnover,
        d.active_months,
        d.last_purchase,
        ($as_of - d.last_purchase)::integer as days_since,
        d.margin
    from declining as d
    join client_names as c using (client_id)
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
