-- Managers named in the forecasts (deals of one batch, or of every live batch when $batch_id is
-- NULL) who have no sale in the current sales: a misspelt name, or a new manager. Their deals take
-- no department from the sales. Per manager: the snapshots and deals, the latest snapshot and the
-- open amount in it.
with sellers as (
    select distinct manager from current_sales where manager is not null
),

deals_of as (
    select *
    from deals
    anti join sellers using (manager)
    where manager is not null and ($batch_id is null or batch_id = $batch_id)
),

final as (
    select
        manager,
        count(distinct snapshot_date) as snapshots,
        count(*) as deals,
        max(snapshot_date) as last_snapshot,
        coalesce(sum(amount) filter (where status = 'open' and snapshot_date = last_snapshot_of), 0) as open_amount
    from (select *, max(snapshot_date) over (partition by manager) as last_snapshot_of from deals_of)
    group by manager
    order by manager
)

select * from final
