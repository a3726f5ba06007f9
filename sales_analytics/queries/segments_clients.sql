-- Every client's segment for plan month $month (SPEC "Client segments and the plan builder"),
-- judged on the four calendar months before it, M-4 .. M-1 = [$window_from, $month):
--   regular: net positive in 3 or 4 of those months;
--   oneoff:  net positive in 1 or 2 of them;
--   new:     "new for planning": no purchase (a day with a positive amount) since $new_before
--            = add_months(M, -5), i.e. not bought for 5 months or more, or never bought;
--   lapsing: the rest: bought within 5 months, but no month of the four was net positive.
-- Runs on the client store (reports/clients.py): client_months is current_sales per client and
-- calendar month, with each month's latest purchase and whose it was. M and the window start on a
-- month's first day, so whole months answer every question here.
-- A client belongs to the manager (and department) of its latest purchase before M (on the same
-- day, the later upload's later row); one that never bought, to the manager of its latest
-- forecast deal. Sales from M on do not exist for this question. The rows are kept for the call
-- as segmented_clients: segments_by_manager.sql sums them per manager, segments_listing.sql lists
-- one segment's.
with latest_purchase as (
    select
        client_id,
        max(last_purchase) as last_purchase,
        -- the latest purchase's month holds whose it was
        arg_max_null(last_manager, last_purchase) as manager,
        arg_max_null(last_department, last_purchase) as department
    from client_months
    where month < $month and last_purchase is not null
    group by client_id
),

window_totals as (
    select client_id, count(*) filter (where net > 0) as months_bought, sum(net) as turnover
    from client_months
    where month >= $window_from and month < $month
    group by client_id
),

segmented as (
    select
        c.display_name as client,
        case when l.client_id is null then o.manager else l.manager end as manager,
        case when l.client_id is null then o.department else l.department end as department,
        case
            when coalesce(w.months_bought, 0) >= 3 then 'regular'
            when coalesce(w.months_bought, 0) >= 1 then 'oneoff'
            when l.last_purchase is null or l.last_purchase < $new_before then 'new'
            else 'lapsing'
        end as segment,
        coalesce(w.months_bought, 0) as months_bought,
        coalesce(w.turnover, 0) as window_turnover,
        l.last_purchase
    from client_names as c
    left join latest_purchase as l using (client_id)
    left join window_totals as w using (client_id)
    left join deal_owners as o using (client_id)
),

final as (
    select
        client,
        coalesce(manager, $no_manager) as manager,
        coalesce(department, $no_department) as department,
        segment,
        months_bought,
        window_turnover,
        last_purchase
    from segmented
)

select * from final
