-- The window of declining_clients.sql summed per client (its rules are there): the last purchase,
-- the previous and recent turnover, the previous window's active months and margin, and whose the
-- latest purchase was. Runs on the client store (reports/clients.py) over client_months for the
-- months wholly inside one part (window_agg_parts) and the cut months' sales (window_raw). Parts:
-- 0 = ($scan_after, $previous_after] (only the last purchase is read from it), 1 = previous,
-- 2 = recent. It depends on the window's days only, so the store keeps it per window: another drop,
-- size or manager filter on the same window reads it again.
with window_months as (
    select m.client_id, m.month, p.part, m.net, m.margin, m.last_purchase, m.last_manager, m.last_department
    from client_months as m
    join window_agg_parts as p using (month)
    union all
    select c.client_id, r.month, r.part, r.net, r.margin, r.last_purchase, r.last_manager, r.last_department
    from window_raw as r
    join client_names as c using (client_key)
),

per_client as (
    select
        client_id,
        max(last_purchase) as last_purchase,
        coalesce(sum(net) filter (where part = 1), 0) as previous_turnover,
        coalesce(sum(net) filter (where part = 2), 0) as recent_turnover,
        count(*) filter (where part = 1 and net > 0) as active_months,
        sum(margin) filter (where part = 1) as margin,
        -- the latest purchase's month holds whose it was
        arg_max_null(last_manager, last_purchase) filter (where last_purchase is not null) as manager,
        arg_max_null(last_department, last_purchase) filter (where last_purchase is not null) as department
    from window_months
    group by client_id
),

final as (
    select * from per_client
)

select * from final
