-- Forecast accuracy: for each month the data covers, per manager and in total, the forecast made for
-- it 1, 2 and 4 weeks before its last day, against the fact that came in.
-- The forecast made N weeks before is the landing seen in the snapshot of that week (the latest one
-- taken in the 7 days up to the month's last day - 7 x N days): sales of the month dated up to the
-- snapshot, plus the weighted open deals of the month in it. Without such a snapshot it is empty.
-- A manager's fact and fact to date are the sales under their name; the total (is_total) counts every
-- sale and deal, also those with no manager. $measure: amount | margin.
-- The months run from the first snapshot's month to the month after the latest sale or snapshot (a
-- month's forecast 4 weeks before can come from the month before). The accuracy "as of" a date is
-- the months before that date's month: no part of a month's row depends on anything dated in a later
-- month, so reports/changes.py computes this once per data version and cuts it at each date.
with until as (
    select (date_trunc('month', greatest(
        (select max(sale_date) from current_sales),
        (select max(snapshot_date) from current_deals)
    )) + interval 2 month)::date as as_of
),

deals as materialized (
    select snapshot_date, status, manager, amount, margin, probability, expected_month
    from current_deals
),

sales as (
    select sale_date, manager, amount, margin
    from current_sales
),

snapshots as (
    select distinct snapshot_date from deals
),

past_months as (
    select unnest(generate_series(
        (select date_trunc('month', min(snapshot_date)) from snapshots)::date,
        ((select as_of from until) - interval 1 month)::date,
        interval 1 month
    ))::date as month
),

horizons as (
    select unnest([1, 2, 4]) as weeks_before
),

targets as (
    select m.month, h.weeks_before, (last_day(m.month) - 7 * h.weeks_before)::date as target_day
    from past_months as m
    cross join horizons as h
),

chosen as (
    select t.month, t.weeks_before, max(s.snapshot_date) as snapshot_date
    from targets as t
    left join snapshots as s on s.snapshot_date between t.target_day - 6 and t.target_day
    group by all
),

-- sales summed per manager and day once, then per month and per snapshot's month to date
daily_sales as (
    select
        manager,
        sale_date,
        sum(case $measure when 'margin' then coalesce(margin, 0::decimal(18, 2)) else amount end) as value
    from sales
    where sale_date >= (select min(month) from past_months)
    group by all
),

fact as (
    select
        date_trunc('month', sale_date)::date as month,
        manager,
        grouping(manager) = 1 as is_total,
        sum(value) as fact
    from daily_sales
    group by grouping sets ((month, manager), (month))
),

fact_to_snapshot as (
    select c.month, c.weeks_before, d.manager, grouping(d.manager) = 1 as is_total, sum(d.value) as fact_to_date
    from chosen as c
    join daily_sales as d on d.sale_date between c.month and c.snapshot_date
    group by grouping sets ((c.month, c.weeks_before, d.manager), (c.month, c.weeks_before))
),

deal_part as (
    select
        c.month,
        c.weeks_before,
        d.manager,
        grouping(d.manager) = 1 as is_total,
        sum(round(
            (case $measure when 'margin' then coalesce(d.margin, 0::decimal(18, 2)) else d.amount end) * d.probability,
            2
        )) as weighted_open
    from chosen as c
    join deals as d on d.snapshot_date = c.snapshot_date and d.expected_month = c.month and d.status = 'open'
    group by grouping sets ((c.month, c.weeks_before, d.manager), (c.month, c.weeks_before))
),

groups as (
    select month, manager, is_total from fact
    union
    select month, manager, is_total from fact_to_snapshot
    union
    select month, manager, is_total from deal_part
),

final as (
    select
        g.month,
        g.manager,
        g.is_total,
        c.weeks_before,
        c.snapshot_date,
        case when c.snapshot_date is not null
            then (coalesce(t.fact_to_date, 0) + coalesce(d.weighted_open, 0))::decimal(38, 2)
        end as forecast,
        coalesce(f.fact, 0)::decimal(38, 2) as fact
    from groups as g
    join chosen as c using (month)
    left join fact as f
        on f.month = g.month and f.is_total = g.is_total and f.manager is not distinct from g.manager
    left join fact_to_snapshot as t
        on t.month = g.month and t.weeks_before = c.weeks_before and t.is_total = g.is_total
        and t.manager is not distinct from g.manager
    left join deal_part as d
        on d.month = g.month and d.weeks_before = c.weeks_before and d.is_total = g.is_total
        and d.manager is not distinct from g.manager
    order by g.month, g.is_total, g.manager nulls last, c.weeks_before
)

select * from final
