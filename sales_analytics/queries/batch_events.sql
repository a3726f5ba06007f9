-- The audit trail: every import and delete of a batch, oldest first, with the batch's file and hash.
with events as (
    select * from batch_events
),

batches as (
    select batch_id, kind, file_name, sha256 from import_batches
),

final as (
    select
        events.event_id,
        events.happened_at,
        events.event,
        events.actor,
        events.batch_id,
        batches.kind,
        batches.file_name,
        batches.sha256
    from events
    left join batches using (batch_id)
    order by events.event_id
)

select * from final
