-- Every client's segment for plan month $month (SPEC "Client segments and the plan builder"),
-- judged on the four calendar months before it, M-4 .. M-1 = [$window_from, $month):
--   regular: net positive in 3 or 4 of those months;
--   oneoff:  net positive in 1 or 2 of them;
--   new:     "new for planning": no purchase (a day with a positive amount) since $new_before
--            = add_months(M, -5), i.e. not bought for 5 months or more, or never bought;
--   lapsing: the rest: bought within 5 months, but no month of the four was net positive.
-- Runs on the client store (reports/clients.py): client_sales is current_sales with integer ids.
-- A client belongs to the manager (and department) of its latest purchase before M (on the same
-- day, the later upload's later row); one that never bought, to the manager of its latest
-- forecast deal. Sales from M on do not exist for this question. The rows are kept for the call
-- as segmented_clients: segments_by_manager.sql sums them per manager, segments_listing.sql lists
-- one segment's.
with latest_day as (
    select client_id, max(sale_date) as last_purchase
    from client_sales
    where sale_date < $month and amount > 0
    group by client_id
),

-- the rows of each client's last purchase day only: cheaper than carrying the manager through the
-- whole history's grouping
latest_purchase as (
    select
        s.client_id,
        arg_max(s.manager_id, s.row_order) as manager_id,
        arg_max(s.department_id, s.row_order) as department_id
    from client_sales as s
    join latest_day as l on s.client_id = l.client_id and s.sale_date = l.last_purchase
    where s.amount > 0
    group by s.client_id
),

window_months as (
    select client_id, date_trunc('month', sale_date) as month, sum(amount) as net
    from client_sales
    where sale_date >= $window_from and sale_date < $month
    group by client_id, month
),

window_totals as (
    select client_id, count(*) filter (where net > 0) as months_bought, sum(net) as turnover
    from window_months
    group by client_id
),

segmented as (
    select
        c.display_name as client,
        case when l.client_id is null then o.manager else m.manager end as manager,
        case when l.client_id is null then o.department else n.department end as department,
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
    left join latest_day as l using (client_id)
    left join latest_purchase as p using (client_id)
    left join manager_names as m on m.manager_id = p.manager_id
    left join department_names as n on n.department_id = p.department_id
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
