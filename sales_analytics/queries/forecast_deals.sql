-- The open deals of one snapshot, each with its place in the forecast (a month of the horizon,
-- overdue, undated, or beyond the horizon) and its group: what the forecast's cells are made of.
-- $snapshot; $first_month / $last_month: the horizon; $by: department | manager | all;
-- $measure: amount | margin (a missing margin counts as 0).
with open_deals as (
    select *
    from current_deals
    where snapshot_date = $snapshot and status = 'open'
),

clients as (
    select client_key, display_name from clients
),

final as (
    select
        case
            when d.expected_month is null then 'undated'
            when d.expected_month < $first_month then 'overdue'
            when d.expected_month <= $last_month then 'month'
            else 'beyond'
        end as place,
        case $by when 'department' then d.department when 'manager' then d.manager else 'all' end as group_name,
        d.deal_id,
        coalesce(c.display_name, d.client_name) as client,
        d.manager,
        d.department,
        d.product,
        d.expected_month as month,
        case $measure when 'margin' then coalesce(d.margin, 0::decimal(18, 2)) else d.amount end as value,
        d.probability,
        round(value * d.probability, 2) as weighted,
        d.probability_missing,
        d.stage,
        d.amount,
        d.margin,
        d.source_sheet,
        d.source_row
    from open_deals as d
    left join clients as c using (client_key)
    order by weighted desc, client, d.product
)

select * from final
