-- Every forecast snapshot date, oldest first, with how many deals it holds (open ones apart).
with deals as (
    select snapshot_date, status from current_deals
),

final as (
    select
        snapshot_date,
        count(*) as deals,
        count(*) filter (where status = 'open') as open_deals
    from deals
    group by snapshot_date
    order by snapshot_date
)

select * from final
